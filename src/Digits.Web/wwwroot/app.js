'use strict';

// The drawing page: a canvas that takes mouse, touch and pen through Pointer Events, live predictions while
// drawing, the ten probabilities, the 28x28 image the model saw, corrections and uploads.
(() => {
  // The pen on the 280 px canvas: the width the server's evaluation of pen-tablet digits draws with.
  const PEN_WIDTH = 18;
  const INK = '#111111';
  const PAPER = '#ffffff';
  // While the pen moves, ask at most this often; the last stroke is always sent when the pen lifts.
  const LIVE_INTERVAL_MS = 200;

  const canvas = document.getElementById('canvas');
  const ctx = canvas.getContext('2d');
  const seen = document.getElementById('seen');
  const digitOut = document.getElementById('digit');
  const statusLine = document.getElementById('status');
  const chart = document.getElementById('chart');
  const corrections = document.getElementById('corrections');
  const thanks = document.getElementById('thanks');
  const drop = document.getElementById('drop');
  const fileInput = document.getElementById('file');
  const explainPanel = document.getElementById('explain');
  const layersOut = document.getElementById('layers');
  const undoButton = document.getElementById('undo');
  // The canvas before each stroke, newest last, for Undo; a few dozen 280x280 snapshots are a few MB at most.
  const MAX_UNDO = 40;
  const before = [];
  const explainStatus = document.getElementById('explain-status');

  let hasInk = false;
  let pointer = null;           // the pointer drawing now: { id, last, mid }
  let liveTimer = 0;
  let sequence = 0;             // the newest request; older answers are dropped
  let answered = null;          // { digit, image } of the answer shown, for a correction and for "Explain"
  let explained = 0;            // the newest explanation asked for

  const bars = [];
  for (let d = 0; d < 10; d++) {
    const row = document.createElement('li');
    row.innerHTML = `<span class="label">${d}</span><span class="track"><span class="fill"></span></span><span class="pct">0%</span>`;
    chart.append(row);
    bars.push(row);

    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = String(d);
    button.setAttribute('aria-label', `It was ${d}`);
    button.disabled = true;
    button.addEventListener('click', () => correct(d));
    corrections.append(button);
  }

  function resetPaper() {
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.lineWidth = PEN_WIDTH;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
  }

  function at(event) {
    const box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * canvas.width / box.width,
      y: (event.clientY - box.top) * canvas.height / box.height,
    };
  }

  canvas.addEventListener('pointerdown', event => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    const p = at(event);
    pointer = { id: event.pointerId, last: p, mid: p };
    // Drawing takes the keys back from the button last pressed, so that Enter predicts rather than pressing it again.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    forgetAnswer();
    before.push(ctx.getImageData(0, 0, canvas.width, canvas.height));
    if (before.length > MAX_UNDO) before.shift();
    undoButton.disabled = false;
    ctx.beginPath();
    ctx.arc(p.x, p.y, PEN_WIDTH / 2, 0, 2 * Math.PI);
    ctx.fill();
    hasInk = true;
  });

  canvas.addEventListener('pointermove', event => {
    if (!pointer || event.pointerId !== pointer.id) return;
    const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of coalesced.length ? coalesced : [event]) {
      // A quadratic curve through the midpoints of the sampled points: smooth, and never behind the pen by more than half a step.
      const p = at(e);
      const mid = { x: (pointer.last.x + p.x) / 2, y: (pointer.last.y + p.y) / 2 };
      ctx.beginPath();
      ctx.moveTo(pointer.mid.x, pointer.mid.y);
      ctx.quadraticCurveTo(pointer.last.x, pointer.last.y, mid.x, mid.y);
      ctx.stroke();
      pointer.last = p;
      pointer.mid = mid;
    }
    if (!liveTimer) {
      liveTimer = setTimeout(() => { liveTimer = 0; predict(); }, LIVE_INTERVAL_MS);
    }
  });

  function lift(event) {
    if (!pointer || event.pointerId !== pointer.id) return;
    ctx.beginPath();
    ctx.moveTo(pointer.mid.x, pointer.mid.y);
    ctx.lineTo(pointer.last.x, pointer.last.y);
    ctx.stroke();
    pointer = null;
    predict();
  }
  canvas.addEventListener('pointerup', lift);
  canvas.addEventListener('pointercancel', lift);

  function predict() {
    clearTimeout(liveTimer);
    liveTimer = 0;
    if (!hasInk) {
      say('Draw a digit first.');
      return;
    }
    const image = canvas.toDataURL('image/png');
    ask(JSON.stringify({ image }), { 'Content-Type': 'application/json' }, image);
  }

  async function ask(body, headers, image) {
    const id = ++sequence;
    try {
      const response = await fetch('/api/predict', { method: 'POST', body, headers });
      const answer = await response.json().catch(() => null);
      if (id !== sequence) return;
      if (!response.ok || !answer) {
        // The previous answer is not this picture's: it goes, and the error stands alone.
        showNoAnswer();
        say(answer?.detail ?? `The server answered ${response.status}.`, true);
        return;
      }
      show(answer, image);
    } catch {
      if (id === sequence) say('The server cannot be reached.', true);
    }
  }

  function percent(p) {
    return `${Math.round(p * 100)}%`;
  }

  function show(answer, image) {
    // The counts include this prediction; once the pen is up, not at every live answer.
    if (!pointer) refreshStats();
    if (answer.noDigit) {
      // Blank, a tap or a blob: nothing to guess at, so no digit, no bars, and nothing to correct.
      showNoAnswer();
      say(answer.reason);
      paint(seen, 28, 28, answer.seen, null);
      return;
    }
    digitOut.textContent = String(answer.digit);
    digitOut.classList.toggle('unsure', answer.notSure);
    say(answer.notSure
      ? `Not sure. Maybe ${answer.digit} (${percent(answer.confidence)})? ${answer.reason ?? ''}`
      : `${answer.digit}, ${percent(answer.confidence)} sure.`);
    answer.probabilities.forEach((p, d) => {
      bars[d].querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
      bars[d].querySelector('.pct').textContent = percent(p);
      bars[d].classList.toggle('top', d === answer.digit);
    });
    paint(seen, 28, 28, answer.seen, null);
    answered = { digit: answer.digit, image };
    for (const button of corrections.children) button.disabled = false;
    thanks.textContent = '';
    // Explaining costs the server as much as 145 predictions: not on every live answer, only once the pen is up.
    if (explainPanel.open && !pointer) explain();
  }

  // "?" and empty bars: no answer on screen, and none to correct.
  function showNoAnswer() {
    forgetAnswer();
    digitOut.textContent = '?';
    digitOut.classList.remove('unsure');
    bars.forEach(row => {
      row.querySelector('.fill').style.width = '0';
      row.querySelector('.pct').textContent = '0%';
      row.classList.remove('top');
    });
  }

  // A new drawing or picture: a correction must not be stored against the previous one.
  function forgetAnswer() {
    answered = null;
    for (const button of corrections.children) button.disabled = true;
  }

  // Grey values 0-255 onto a canvas of their size; with a red overlay where `heat` (0-255) is high.
  function paint(target, width, height, grey, heat) {
    const g = target.getContext('2d');
    const pixels = g.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = grey ? grey[i] : 0;
      const h = heat ? heat[i] / 255 : 0;
      pixels.data.set([Math.round(v * (1 - h) + 255 * h), Math.round(v * (1 - h)), Math.round(v * (1 - h)), 255], i * 4);
    }
    g.putImageData(pixels, 0, 0);
  }

  async function explain() {
    if (!answered?.image) {
      explainStatus.textContent = 'Draw a digit first.';
      return;
    }
    const id = ++explained;
    explainStatus.textContent = 'Looking…';
    try {
      const response = await fetch('/api/explain', {
        method: 'POST', body: JSON.stringify({ image: answered.image }), headers: { 'Content-Type': 'application/json' },
      });
      const why = await response.json().catch(() => null);
      if (id !== explained) return;
      if (!response.ok) {
        explainStatus.textContent = why?.detail ?? `The server answered ${response.status}.`;
        return;
      }
      paint(document.getElementById('saliency'), 28, 28, why.seen, why.saliency);
      layersOut.replaceChildren(...why.layers.map((layer, index) => {
        const block = document.createElement('div');
        const title = document.createElement('h3');
        title.textContent = `Layer ${index + 1} (${layer.name}): ${layer.maps.length} of ${layer.channels} maps, ${layer.width}×${layer.height}`;
        const maps = document.createElement('div');
        maps.className = 'maps';
        layer.maps.forEach((values, m) => {
          const map = document.createElement('canvas');
          map.width = layer.width;
          map.height = layer.height;
          map.setAttribute('role', 'img');
          map.setAttribute('aria-label', `${layer.name}, map ${m + 1}`);
          paint(map, layer.width, layer.height, values, null);
          maps.append(map);
        });
        block.append(title, maps);
        return block;
      }));
      explainStatus.textContent = `Why ${why.digit}: the red ink matters most to the answer.`;
    } catch {
      if (id === explained) explainStatus.textContent = 'The server cannot be reached.';
    }
  }

  function say(text, error = false) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', error);
  }

  // Back to the canvas as it was before the last stroke, and its answer; with no stroke left, as after Clear.
  function undo() {
    if (pointer || before.length === 0) return;
    const previous = before.pop();
    if (before.length === 0) {
      clear();
      return;
    }
    ctx.putImageData(previous, 0, 0);
    undoButton.disabled = false;
    predict();
  }

  function clear() {
    sequence++;
    before.length = 0;
    undoButton.disabled = true;
    clearTimeout(liveTimer);
    liveTimer = 0;
    pointer = null;
    hasInk = false;
    showNoAnswer();
    resetPaper();
    say('Draw a digit to start.');
    paint(seen, 28, 28, null, null);
    thanks.textContent = '';
    explained++;
    paint(document.getElementById('saliency'), 28, 28, null, null);
    layersOut.replaceChildren();
    explainStatus.textContent = '';
  }

  async function correct(digit) {
    if (!answered) return;
    const body = JSON.stringify({ image: answered.image, predicted: answered.digit, correct: digit });
    try {
      const response = await fetch('/api/feedback', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      const result = await response.json().catch(() => null);
      thanks.textContent = response.ok
        ? `Saved as a ${digit}. Thank you: corrections train the next model.`
        : (result?.detail ?? `The server answered ${response.status}.`);
      refreshStats();
    } catch {
      thanks.textContent = 'The server cannot be reached.';
    }
  }

  // A picture is drawn onto the canvas, fitted, and the canvas is sent: what the page shows, explains and keeps as a
  // correction is what the model read, and a phone photo of several MB becomes a small PNG. A file the browser
  // cannot draw is sent as it is, so that the server says what is wrong with it.
  async function upload(file) {
    if (!file) return;
    clearTimeout(liveTimer);
    liveTimer = 0;
    forgetAnswer();
    const started = ++sequence;
    let bitmap = null;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      // Sent unchanged below.
    }
    if (sequence !== started) return;
    resetPaper();
    // A picture is not strokes to undo one by one.
    before.length = 0;
    undoButton.disabled = true;
    hasInk = true;
    if (!bitmap) {
      const form = new FormData();
      form.append('image', file, file.name);
      ask(form, {}, null);
      return;
    }
    const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
    const w = bitmap.width * scale;
    const h = bitmap.height * scale;
    ctx.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
    predict();
  }

  async function refreshStats() {
    try {
      const stats = await (await fetch('/api/stats')).json();
      const n = (x, one, many) => `${x.toLocaleString('en')}${one === undefined ? '' : ` ${x === 1 ? one : many}`}`;
      document.getElementById('stats').textContent =
        `Visits: ${n(stats.visits.today)} today, ${n(stats.visits.total)} in all · ${n(stats.predictions, 'prediction', 'predictions')} · ${n(stats.corrections, 'correction', 'corrections')}`;
    } catch {
      // The counts are a nicety; the page works without them.
    }
  }

  async function describeModel() {
    try {
      const model = await (await fetch('/api/model')).json();
      const accuracy = model.testAccuracy == null ? '' : `, ${(model.testAccuracy * 100).toFixed(2)}% on the MNIST test set`;
      document.getElementById('model').textContent = `Model ${model.id}${accuracy}`;
    } catch {
      // As above.
    }
  }

  document.getElementById('predict').addEventListener('click', predict);
  explainPanel.addEventListener('toggle', () => { if (explainPanel.open) explain(); });
  document.getElementById('clear').addEventListener('click', clear);
  undoButton.addEventListener('click', undo);
  // Enter predicts (a focused button or link keeps its own Enter), Esc clears, Ctrl+Z (Cmd+Z) undoes.
  document.addEventListener('keydown', event => {
    const control = event.target instanceof Element && event.target.closest('button, input, summary, a');
    if (event.key === 'Enter' && !control) predict();
    else if (event.key === 'Escape') clear();
    else if (event.key.toLowerCase() === 'z' && (event.ctrlKey || event.metaKey) && !event.shiftKey) undo();
    else return;
    event.preventDefault();
  });
  fileInput.addEventListener('change', () => { upload(fileInput.files[0]); fileInput.value = ''; });
  drop.addEventListener('dragover', event => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', event => {
    event.preventDefault();
    drop.classList.remove('over');
    upload(event.dataTransfer.files[0]);
  });

  clear();
  refreshStats();
  describeModel();
})();
