// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initTimeoutWarning, keepDrafts } from "./timeout-warning.mjs";

document.body.classList.add("govuk-frontend-supported", "js-enabled");
initAll();
keepDrafts(document.body.dataset.loginUrl);
const timeoutWarning = document.getElementById("timeout-warning");
if (timeoutWarning) initTimeoutWarning(timeoutWarning);
