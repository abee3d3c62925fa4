// Digital Government Capability Self-Assessment: the pages' only script.
// The pages work without it; it adds autosave of answers (kept in this
// browser, for the signed-in user only, until the server confirms them), a
// conflict dialog, live progress bars and the copy button of a new token. No framework, nothing external.
(function () {
  'use strict';

  // ---- Copy button of a newly issued token --------------------------------
  document.querySelectorAll('button[data-copy]').forEach(function (btn) {
    var input = document.getElementById(btn.dataset.copy);
    var status = document.getElementById('copy-status');
    if (!input) return;
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var done = function () { if (status) status.textContent = status.dataset.copied; };
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          if (document.execCommand('copy')) done();
        });
      } else if (document.execCommand('copy')) {
        done();
      }
    });
  });

  // A page that shows form errors takes the user to their summary.
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // ---- Unsent edits belong to their user -----------------------------------
  // Autosave keeps unsent edits in localStorage under a key that ends with
  // "@" and the signed-in user's key (a hash the server puts in a meta
  // tag), so they are only ever read, shown and sent again for that user.
  // A page of any other user drops them, and signing out drops them all.
  var PENDING = 'dgs-pending:';
  var userMeta = document.querySelector('meta[name="dgs-user"]');
  var user = userMeta ? userMeta.content : '';

  // dropPending removes every kept edit except those of keep ('' : all).
  function dropPending(keep) {
    try {
      var doomed = [];
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k && k.indexOf(PENDING) === 0 && (!keep || k.slice(-(keep.length + 1)) !== '@' + keep)) doomed.push(k);
      }
      doomed.forEach(function (k) { localStorage.removeItem(k); });
    } catch (e) { /* storage disabled: nothing is kept either */ }
  }
  if (user) dropPending(user);
  document.querySelectorAll('form[action="/logout"]').forEach(function (f) {
    f.addEventListener('submit', function () { dropPending(''); });
  });

  // ---- Autosave ------------------------------------------------------------
  var sync = document.getElementById('sync');
  if (!sync) return;
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : '';
  var api = sync.dataset.api;
  // Without a user key nothing is kept in the browser (memory only).
  var key = user ? sync.dataset.key + '@' + user : '';
  var memory = {};
  var statusEl = document.getElementById('save-status');
  var form = document.getElementById('answers');
  var questions = {};
  document.querySelectorAll('.question[data-qid]').forEach(function (el) {
    questions[el.dataset.qid] = el;
  });

  // Pending edits, by question id: {answer, base}. They stay in
  // localStorage until the server has confirmed them.
  function loadPending() {
    if (!key) return JSON.parse(JSON.stringify(memory));
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function savePending(p) {
    if (!key) { memory = JSON.parse(JSON.stringify(p)); return; }
    try {
      if (Object.keys(p).length) localStorage.setItem(key, JSON.stringify(p));
      else localStorage.removeItem(key);
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  }

  function setStatus(kind, vars) {
    if (!statusEl) return;
    var text = sync.dataset['msg' + kind.charAt(0).toUpperCase() + kind.slice(1)] || '';
    Object.keys(vars || {}).forEach(function (k) { text = text.replace('{' + k + '}', vars[k]); });
    statusEl.textContent = text;
    statusEl.classList.toggle('is-error', ['offline', 'signin', 'invalid', 'failed', 'closed', 'conflict'].indexOf(kind) >= 0);
    statusEl.classList.toggle('is-ok', kind === 'saved');
  }

  function clock(iso) {
    var d = iso ? new Date(iso) : new Date();
    try {
      return new Intl.DateTimeFormat(sync.dataset.lang || undefined, {
        hour: '2-digit', minute: '2-digit', hour12: false, timeZone: sync.dataset.tz || undefined
      }).format(d);
    } catch (e) {
      return d.toTimeString().slice(0, 5);
    }
  }

  function field(qid, name) { return form && form.elements[name + '.' + qid]; }

  // read returns the answer as the page shows it, in the API's shape. A
  // reason is sent only with N/A (the API refuses it otherwise).
  function read(qid) {
    var el = questions[qid];
    var a = { comment: '', evidence: '' };
    var checked = el.querySelector('input[type="radio"]:checked');
    var comment = field(qid, 'comment');
    var evidence = field(qid, 'evidence');
    var reason = field(qid, 'na_reason');
    if (comment) a.comment = comment.value;
    if (evidence) a.evidence = evidence.value;
    if (checked && checked.value === 'na') {
      a.na = true;
      a.na_reason = reason ? reason.value : '';
    } else if (checked) {
      a.level = parseInt(checked.value, 10);
    }
    return a;
  }

  function write(qid, a) {
    var el = questions[qid];
    if (!el) return;
    a = a || {};
    var value = a.na ? 'na' : (a.level === null || a.level === undefined ? '' : String(a.level));
    el.querySelectorAll('input[type="radio"]').forEach(function (r) { r.checked = r.value === value; });
    var comment = field(qid, 'comment');
    var evidence = field(qid, 'evidence');
    var reason = field(qid, 'na_reason');
    if (comment) comment.value = a.comment || '';
    if (evidence) evidence.value = a.evidence || '';
    if (reason && (a.na || a.na_reason)) reason.value = a.na_reason || '';
  }

  function norm(a) {
    a = a || {};
    return [a.na ? 'na' : (a.level === null || a.level === undefined ? '' : a.level),
      a.na ? (a.na_reason || '').trim() : '', a.comment || '', a.evidence || ''].join('\u0000');
  }
  function same(a, b) { return norm(a) === norm(b); }

  function setRev(qid, rev) {
    var base = field(qid, 'base');
    if (base) base.value = String(rev);
  }
  function currentRev(qid) {
    var base = field(qid, 'base');
    return base ? parseInt(base.value, 10) || 0 : 0;
  }

  // Progress bars follow the server's answer after each save.
  function updateProgress(resp) {
    if (!resp || !resp.progress) return;
    var overall = document.getElementById('progress-overall');
    var label = document.getElementById('progress-overall-label');
    if (overall) overall.value = resp.progress.answered;
    if (label && label.dataset.format) {
      label.textContent = label.dataset.format.replace('{n}', resp.progress.answered).replace('{total}', resp.progress.total);
    }
    document.querySelectorAll('progress[data-qids]').forEach(function (bar) {
      var ids = bar.dataset.qids.split(' ');
      var n = ids.filter(function (id) {
        var a = resp.answers && resp.answers[id];
        return a && (a.na || (a.level !== null && a.level !== undefined));
      }).length;
      bar.value = n;
      var count = document.querySelector('[data-count-for="' + bar.id + '"]');
      if (count) count.textContent = n + '/' + ids.length;
      if (bar.dataset.format) {
        bar.setAttribute('aria-label', bar.dataset.format.replace('{n}', n).replace('{total}', ids.length));
      }
    });
    var st = document.getElementById('response-status');
    if (st && resp.status === 'in_progress' && st.dataset.inProgress) st.textContent = st.dataset.inProgress;
  }

  // Field errors from a 422, shown at their inputs.
  function clearErrors(qid) {
    var el = questions[qid];
    if (!el) return;
    el.querySelectorAll('.field-error.js').forEach(function (p) {
      var target = document.querySelector('[aria-describedby~="' + p.id + '"]');
      if (target) {
        target.setAttribute('aria-describedby', target.getAttribute('aria-describedby').replace(p.id, '').trim());
        target.removeAttribute('aria-invalid');
      }
      p.remove();
    });
  }
  function showErrors(qid, fields) {
    clearErrors(qid);
    var el = questions[qid];
    if (!el) return;
    (fields || []).forEach(function (f, i) {
      var input = f.field.split('.').pop();
      var target = input === 'comment' ? field(qid, 'comment') :
        input === 'na_reason' ? field(qid, 'na_reason') : el.querySelector('fieldset');
      if (!target) target = el.querySelector('fieldset');
      var p = document.createElement('p');
      p.className = 'field-error js';
      p.id = 'js-err-' + qid + '-' + i;
      p.textContent = f.message;
      p.lang = 'en'; // the API's messages are English
      if (target.nodeName === 'FIELDSET') target.querySelector('legend').after(p);
      else target.before(p);
      var described = (target.getAttribute('aria-describedby') || '') + ' ' + p.id;
      target.setAttribute('aria-describedby', described.trim());
      target.setAttribute('aria-invalid', 'true');
    });
  }

  var inflight = {};
  var again = {};
  var retryDelay = 2000;
  var retryTimer = null;

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () {
      retryTimer = null;
      retryDelay = Math.min(retryDelay * 2, 60000);
      sendAll();
    }, retryDelay);
  }

  // known holds the last value the server confirmed for each question on
  // the page, so a change that changes nothing the API stores (a reason
  // typed while a level is chosen, say) sends nothing.
  var known = {};
  Object.keys(questions).forEach(function (qid) { known[qid] = read(qid); });

  function record(qid) {
    var pending = loadPending();
    var answer = read(qid);
    if (!pending[qid] && same(answer, known[qid])) return;
    var base = pending[qid] ? pending[qid].base : currentRev(qid);
    pending[qid] = { answer: answer, base: base };
    savePending(pending);
    send(qid);
  }

  function send(qid) {
    if (inflight[qid]) { again[qid] = true; return; }
    var item = loadPending()[qid];
    if (!item) return;
    inflight[qid] = true;
    setStatus('saving');
    var answer = Object.assign({}, item.answer, { base_rev: item.base });
    var body = { answers: {} };
    body.answers[qid] = answer;
    fetch(api, {
      method: 'PATCH',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        return { status: res.status, data: data };
      });
    }).then(function (r) {
      inflight[qid] = false;
      handle(qid, item, r);
      if (again[qid]) { again[qid] = false; send(qid); }
    }, function () {
      inflight[qid] = false;
      again[qid] = false;
      setStatus('offline');
      scheduleRetry();
    });
  }

  function sendAll() {
    Object.keys(loadPending()).forEach(send);
  }

  // confirmed drops the pending edit if it is still the one that was sent;
  // a newer edit gets the new rev as its base and goes out next.
  function confirmed(qid, item, rev) {
    setRev(qid, rev);
    known[qid] = item.answer;
    var pending = loadPending();
    if (pending[qid]) {
      if (same(pending[qid].answer, item.answer)) delete pending[qid];
      else { pending[qid].base = rev; again[qid] = true; }
    }
    savePending(pending);
  }

  function handle(qid, item, r) {
    if (r.status === 200) {
      var saved = r.data.answers ? r.data.answers[qid] : null;
      confirmed(qid, item, saved ? saved.rev : 0);
      clearErrors(qid);
      updateProgress(r.data);
      retryDelay = 2000;
      setStatus('saved', { time: clock(saved && saved.updated_at) });
      return;
    }
    if (r.status === 409) {
      var current = r.data.current;
      if (!current || !(qid in current)) {
        setStatus('closed'); // the round closed or the response was submitted
        return;
      }
      var theirs = current[qid];
      if (same(theirs, item.answer)) {
        // Already saved: the confirmation of an earlier send was lost.
        confirmed(qid, item, theirs ? theirs.rev : 0);
        setStatus('saved', { time: clock(theirs && theirs.updated_at) });
        return;
      }
      setStatus('conflict');
      conflicts.push({ qid: qid, theirs: theirs });
      nextConflict();
      return;
    }
    if (r.status === 422) {
      showErrors(qid, r.data.error && r.data.error.fields);
      setStatus('invalid');
      return;
    }
    if (r.status === 401 || r.status === 403) {
      setStatus('signin');
      return;
    }
    setStatus('failed');
    scheduleRetry();
  }

  // ---- Conflict dialog -----------------------------------------------------
  var dialog = document.getElementById('conflict-dialog');
  var words = document.getElementById('conflict-words');
  var conflicts = [];
  var showing = null;

  function describe(qid, a) {
    var w = words ? words.dataset : {};
    var parts = [];
    if (!a || (!a.na && (a.level === null || a.level === undefined))) {
      parts.push(w.none);
    } else if (a.na) {
      parts.push(w.na);
      if (a.na_reason) parts.push((w.reason || '%s').replace('%s', a.na_reason));
    } else {
      var label = document.querySelector('label[for="' + qid + '-l' + a.level + '"] .level-name');
      parts.push(label ? label.textContent : String(a.level));
    }
    if (a && a.comment) parts.push((w.comment || '%s').replace('%s', a.comment));
    if (a && (a.updated_by_name || a.updated_by)) parts.push((w.by || '%s').replace('%s', a.updated_by_name || a.updated_by));
    return parts.join(' · ');
  }

  function nextConflict() {
    if (showing || !conflicts.length) return;
    showing = conflicts.shift();
    var qid = showing.qid;
    var pending = loadPending()[qid];
    if (!dialog || !questions[qid] || !pending) {
      showing = null; // not on this page: it is resolved where the question is
      return nextConflict();
    }
    var legend = questions[qid].querySelector('legend');
    document.getElementById('conflict-question').textContent = legend ? legend.textContent : qid;
    document.getElementById('conflict-theirs').textContent = describe(qid, showing.theirs);
    document.getElementById('conflict-mine').textContent = describe(qid, pending.answer);
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    document.getElementById('conflict-keep').focus();
  }

  function resolve(keepMine) {
    if (!showing) return;
    var qid = showing.qid;
    var theirs = showing.theirs;
    var rev = theirs ? theirs.rev : 0;
    showing = null;
    if (dialog.open) dialog.close();
    var pending = loadPending();
    if (keepMine && pending[qid]) {
      pending[qid].base = rev;
      savePending(pending);
      send(qid);
    } else {
      delete pending[qid];
      savePending(pending);
      write(qid, theirs);
      known[qid] = read(qid);
      setRev(qid, rev);
      setStatus('saved', { time: clock(theirs && theirs.updated_at) });
    }
    var el = questions[qid] && questions[qid].querySelector('input[type="radio"]');
    if (el) el.focus();
    nextConflict();
  }

  if (dialog) {
    document.getElementById('conflict-keep').addEventListener('click', function () { resolve(true); });
    document.getElementById('conflict-take').addEventListener('click', function () { resolve(false); });
    // Escape leaves the choice open: the edit stays pending in this browser.
    dialog.addEventListener('cancel', function () { showing = null; });
  }

  // ---- Wiring ----------------------------------------------------------------
  var timers = {};
  Object.keys(questions).forEach(function (qid) {
    var el = questions[qid];
    el.addEventListener('change', function () { clearTimeout(timers[qid]); delete timers[qid]; record(qid); });
    el.addEventListener('input', function (ev) {
      if (ev.target.nodeName !== 'TEXTAREA') return;
      clearTimeout(timers[qid]);
      timers[qid] = setTimeout(function () { delete timers[qid]; record(qid); }, 800);
    });
  });
  // With the script, the Save button sends what autosave has not sent yet;
  // a form post then would race the autosaves and conflict with them.
  if (form) {
    form.addEventListener('submit', function (ev) {
      Object.keys(timers).forEach(function (qid) { clearTimeout(timers[qid]); delete timers[qid]; record(qid); });
      if (!Object.keys(loadPending()).length && !Object.keys(inflight).some(function (q) { return inflight[q]; })) return;
      ev.preventDefault();
      sendAll();
    });
  }
  window.addEventListener('online', sendAll);

  // Edits kept from an earlier visit (a reload, a closed tab, a dropped
  // connection) are shown again and sent again.
  var pending = loadPending();
  var waiting = Object.keys(pending);
  waiting.forEach(function (qid) { write(qid, pending[qid].answer); });
  if (waiting.length) {
    setStatus('pending', { n: waiting.length });
    sendAll();
  }
})();
