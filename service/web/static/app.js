// Progressive enhancement only: every page works without JavaScript. Loaded as a module from
// this service (the Content Security Policy allows no inline script).
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
