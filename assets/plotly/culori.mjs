// plotly.js requires the whole of culori (all colour spaces, ~60 KB minified); it needs five
// functions and the CSS colour spaces (what a colour string in a figure can be written in).
import 'culori/css';

export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance } from 'culori/fn';
