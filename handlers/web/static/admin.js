// Digital Government Capability Self-Assessment: the administrators' part of
// the pages' script. The pages work without it; it adds the copy button of
// a new token and confirmation dialogs in place of the confirmation pages.
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

  // ---- Confirmations ---------------------------------------------------------
  // A link to a confirmation page (the way without the script) opens the
  // same question in a dialog whose form posts what that page's would.
  var confirmDialog = document.getElementById('confirm-dialog');
  if (confirmDialog && typeof confirmDialog.showModal === 'function') {
    var confirmForm = document.getElementById('confirm-form');
    var opener = null;
    document.querySelectorAll('a[data-confirm-action]').forEach(function (link) {
      link.addEventListener('click', function (ev) {
        ev.preventDefault();
        opener = link;
        var d = link.dataset;
        document.getElementById('confirm-heading').textContent = d.confirmHeading;
        document.getElementById('confirm-text').textContent = d.confirmText;
        var yes = document.getElementById('confirm-yes');
        yes.textContent = d.confirmYes;
        yes.className = link.classList.contains('danger') ? 'danger' : '';
        confirmForm.action = d.confirmAction;
        var holder = document.getElementById('confirm-fields');
        holder.textContent = '';
        var fields = {};
        try { fields = JSON.parse(d.confirmFields || '{}'); } catch (e) { fields = {}; }
        Object.keys(fields).forEach(function (name) {
          var input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = fields[name];
          holder.appendChild(input);
        });
        confirmDialog.showModal();
        document.getElementById('confirm-no').focus();
      });
    });
    document.getElementById('confirm-no').addEventListener('click', function () { confirmDialog.close(); });
    confirmDialog.addEventListener('close', function () { if (opener) opener.focus(); });
  }

})();
