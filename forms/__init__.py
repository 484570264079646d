"""WTForms classes: the one set of validation rules for pages and (later) the sync endpoint."""
