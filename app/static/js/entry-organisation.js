// Paper forms: once the organisation is chosen, the community picker lists only the communities
// of its district (the server checks the same rule; without this script every community shows).
(function () {
  "use strict";
  var organisation = document.getElementById("organisation");
  var community = document.getElementById("community");
  if (!organisation || !community) return;

  function districtOf(select) {
    var option = select.options[select.selectedIndex];
    return option ? option.getAttribute("data-district") : null;
  }

  function filter() {
    var district = districtOf(organisation);
    var groups = community.querySelectorAll("optgroup");
    Array.prototype.forEach.call(community.options, function (option) {
      var own = option.getAttribute("data-district");
      var show = !district || !own || own === district;
      option.hidden = !show;
      option.disabled = !show;
    });
    Array.prototype.forEach.call(groups, function (group) {
      var visible = Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      group.hidden = !visible;
    });
    if (community.selectedOptions.length && community.selectedOptions[0].hidden) community.value = "";
  }

  organisation.addEventListener("change", filter);
  // A draft restored from this device sets the organisation without a change event.
  if (organisation.form) organisation.form.addEventListener("entry-form:restored", filter);
  filter();
})();
