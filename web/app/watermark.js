// The watermark of every memo view: the viewer's name and handle and the
// time of viewing, as a line at the top and as a faint diagonal pattern
// behind the text, both printed (the pattern is an SVG image made here
// from text nodes, never from parsed markup, and set through the CSSOM,
// which the page's style policy allows).
import { h } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';

// The data: URL of one tile of the pattern, saying `text`.
function tile(text) {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', '420');
  svg.setAttribute('height', '220');
  const t = document.createElementNS(NS, 'text');
  t.setAttribute('x', '210');
  t.setAttribute('y', '120');
  t.setAttribute('text-anchor', 'middle');
  t.setAttribute('transform', 'rotate(-24 210 110)');
  t.setAttribute('fill', '#1d3557');
  t.setAttribute('fill-opacity', '0.13');
  t.setAttribute('font-family', 'DejaVu Sans, Arial, sans-serif');
  t.setAttribute('font-size', '15');
  t.textContent = text;
  svg.append(t);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
}

// Watermark the element `el` for the member `viewer`; returns the line to
// show above the memo.
export function watermark(el, viewer) {
  const at = new Date().toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const who = `${viewer.display_name} (${viewer.handle})`;
  el.classList.add('watermarked');
  el.style.backgroundImage = `url("${tile(`${who} · ${at}`)}")`;
  return h('p', { class: 'watermark-line' },
    `Shown to ${who} on ${at}. This copy is marked with your name: do not copy or forward it.`);
}
