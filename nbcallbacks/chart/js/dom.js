// dom.js — the one DOM helper the view modules share.

/**
 * A new element: makeElement("span", "nbc-chart-value", {"data-series": "raw"}, "0.1234").
 * @param {string} tag
 * @param {string} [className] space-separated classes
 * @param {Object<string, string>} [attributes]
 * @param {string} [text] its text content
 * @returns {HTMLElement}
 */
export function makeElement(tag, className, attributes, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
  if (text != null) element.textContent = text;
  return element;
}
