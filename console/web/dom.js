// Small pieces every page of the console builds with: h() makes an element (no framework), the
// error box shows a failure's message with its SQLSTATE, and the formats turn the system views'
// raw numbers (bytes, microseconds) into something a person reads.
'use strict';

// h('div', {class: 'x', 'data-test': 'y', onclick: f}, 'text', childNode, ...)
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Replaces el's children, skipping the null / false ones (replaceChildren would print "null").
function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function showError(box, err) {
  box.hidden = false;
  fill(box,
    h('span', { class: 'sqlstate', 'data-test': 'error-sqlstate' }, err.sqlstate || (err.status ? `HTTP ${err.status}` : 'ERROR')),
    h('span', { class: 'message', 'data-test': 'error-message' }, err.message),
    err.detail ? h('div', { class: 'detail' }, `Detail: ${err.detail}`) : null,
    err.hint ? h('div', { class: 'detail' }, `Hint: ${err.hint}`) : null,
    err.position ? h('div', { class: 'detail' }, `At character ${err.position}`) : null);
}

function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}

function formatBytes(value) {
  if (value === null || value === undefined || value === '') return '';
  let n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  while (Math.abs(n) >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  return `${u === 0 ? n : n.toFixed(1)} ${units[u]}`;
}

function formatMicros(value) {
  if (value === null || value === undefined || value === '') return '';
  const us = Number(value);
  if (!Number.isFinite(us)) return String(value);
  if (us < 1000) return `${us} \u00b5s`;
  if (us < 1e6) return `${(us / 1000).toFixed(1)} ms`;
  if (us < 6e7) return `${(us / 1e6).toFixed(2)} s`;
  return `${Math.floor(us / 6e7)} min ${Math.round((us % 6e7) / 1e6)} s`;
}

function percent(part, whole) {
  const p = Number(part), w = Number(whole);
  if (!Number.isFinite(p) || !Number.isFinite(w) || w <= 0) return null;
  return Math.round((p / w) * 1000) / 10;
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
