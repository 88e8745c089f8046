// Keyboard and screen-reader support for the course panels, in JupyterLab and Voila.
//
// Installed once per page by the first panel shown (helpers.panels.access):
// - a figure never traps focus: Tab and Shift+Tab leave it, Escape leaves it too
//   (ipympl sends every key of a focused figure to Python and cancels the browser's
//   action); figures are not Tab stops, they are images named by the panel's
//   description;
// - every slider handle and its value box is named by the slider's label (unit in
//   brackets), and announces the value the student sees with its unit (a log slider
//   otherwise announces its exponent);
// - each panel's description is a polite live region: read out after every change.
//
// References: WAI-ARIA 1.2 (slider, aria-valuetext, status, img); WCAG 2.2 SC 2.1.2 No
// Keyboard Trap, 4.1.2 Name, Role, Value.

const FIGURE = ".jupyter-matplotlib-canvas-div";
const PANEL = ".itp-panel";
const DESCRIPTION = ".itp-description";
const UNIT = /\[([^\]]+)\]\s*$/;

let counter = 0;

function uniqueId(el, prefix) {
  if (!el.id) {
    counter += 1;
    el.id = `${prefix}-${counter}`;
  }
  return el.id;
}

function setIfChanged(el, name, value) {
  if (value === null || value === undefined || value === "") {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

function labelText(widget) {
  const label = widget.querySelector(":scope > .widget-label");
  return label ? label.textContent.replace(/\s+/g, " ").trim() : "";
}

function readoutText(readout) {
  if (!readout) return "";
  const text = "value" in readout && readout.tagName === "INPUT" ? readout.value : readout.textContent;
  return text.replace(/\s+/g, " ").trim();
}

function nameSlider(widget) {
  const name = labelText(widget);
  const unitMatch = name.match(UNIT);
  const unit = unitMatch ? unitMatch[1] : "";
  const readout = widget.querySelector(".widget-readout");
  const shown = readoutText(readout);
  const spoken = shown && unit ? `${shown} ${unit}` : shown;
  for (const handle of widget.querySelectorAll(".noUi-handle")) {
    setIfChanged(handle, "aria-label", name);
    setIfChanged(handle, "aria-valuetext", spoken);
  }
  if (readout) {
    setIfChanged(readout, "aria-label", name ? `${name}, type a value` : "type a value");
  }
}

function nameFigure(figure) {
  setIfChanged(figure, "tabindex", "-1");
  setIfChanged(figure, "role", "img");
  const panel = figure.closest(PANEL);
  const description = panel ? panel.querySelector(DESCRIPTION) : null;
  if (description) {
    setIfChanged(figure, "aria-labelledby", uniqueId(description, "itp-description"));
  } else {
    setIfChanged(figure, "aria-label", "Figure of the panel");
  }
}

function markDescription(description) {
  setIfChanged(description, "role", "status");
  setIfChanged(description, "aria-live", "polite");
  setIfChanged(description, "aria-atomic", "true");
}

function landmark() {
  // Voila shows the notebook in #rendered_cells; name it the page's main content.
  if (document.querySelector("main, [role='main']")) return;
  const cells = document.querySelector("#rendered_cells");
  if (cells) cells.setAttribute("role", "main");
}

function repair(root) {
  landmark();
  for (const widget of root.querySelectorAll(".widget-slider")) nameSlider(widget);
  for (const figure of root.querySelectorAll(FIGURE)) nameFigure(figure);
  for (const description of root.querySelectorAll(DESCRIPTION)) markDescription(description);
}

function leaveFigure(event) {
  const target = event.target;
  if (!(target instanceof Element) || !target.closest(FIGURE)) return;
  if (event.key === "Tab") {
    // Capture phase on the window: the figure's own handler never sees the key, so the
    // browser moves the focus as it does everywhere else.
    event.stopPropagation();
  } else if (event.key === "Escape") {
    event.stopPropagation();
    target.closest(FIGURE).blur();
  }
}

function install() {
  if (window.__itpAccess) return;
  window.__itpAccess = true;
  window.addEventListener("keydown", leaveFigure, true);
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    // Before the next paint, and before a screen reader reads the changed slider.
    queueMicrotask(() => {
      pending = false;
      repair(document);
    });
  };
  new MutationObserver(schedule).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-valuetext", "aria-valuenow", "tabindex"],
  });
  repair(document);
}

function render({ el }) {
  el.setAttribute("aria-hidden", "true");
  install();
}

export default { render };
