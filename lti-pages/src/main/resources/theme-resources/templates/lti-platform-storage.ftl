<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiCheckingBrowser")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}#lti-storage-failed{display:none}</style>
</head>
<body>
<p id="lti-checking">${msg("ltiCheckingBrowser")}</p>
<p id="lti-storage-failed">${msg("ltiStorageFailed")}</p>
<span id="lti-storage-mode" hidden>${ltiStorageMode}</span>
<span id="lti-storage-target" hidden>${ltiStorageTarget}</span>
<span id="lti-platform-origin" hidden>${ltiPlatformOrigin}</span>
<span id="lti-page-origin" hidden>${ltiPageOrigin}</span>
<span id="lti-storage-key" hidden>${ltiStorageKey}</span>
<#if ltiStorageMode == "put">
<span id="lti-storage-value" hidden>${ltiStorageValue}</span>
<span id="lti-continue-url" hidden>${ltiContinueUrl}</span>
<span id="lti-fallback-url" hidden>${ltiFallbackUrl}</span>
<#else>
<form id="lti-launch" method="post" action="${ltiLaunchUrl}">
    <input type="hidden" name="id_token" value="${ltiIdToken}">
    <input type="hidden" name="state" value="${ltiState}">
    <input type="hidden" name="lti_storage_proof" id="lti-storage-proof" value="">
</form>
</#if>
<script nonce="${ltiScriptNonce}">
  (function () {
    function text(id) { var e = document.getElementById(id); return e ? e.textContent : ''; }
    function id() { return 'kc-' + Math.random().toString(36).slice(2); }
    var mode = text('lti-storage-mode'), target = text('lti-storage-target'), origin = text('lti-platform-origin');
    var pageOrigin = text('lti-page-origin');
    var key = text('lti-storage-key'), wanted = mode === 'put' ? 'lti.put_data' : 'lti.get_data';
    var capabilitiesId = id(), messageId = id(), asked = false, finished = false;
    var platform = window.parent !== window ? window.parent : window.opener;
    function frameNamed(name) {
      if (name === '_parent') { return window.parent; }
      try { return window.parent.frames[name] || null; } catch (e) { return null; }
    }
    var storage = frameNamed(target);
    function fail() {
      if (finished) { return; }
      finished = true;
      if (mode === 'put') { window.location.replace(text('lti-fallback-url')); return; }
      document.getElementById('lti-checking').style.display = 'none';
      document.getElementById('lti-storage-failed').style.display = 'block';
    }
    function ask() {
      if (asked || finished) { return; }
      asked = true;
      if (!storage || storage === window) { fail(); return; }
      var message = {subject: wanted, message_id: messageId, key: key};
      if (mode === 'put') { message.value = text('lti-storage-value'); }
      // the secret goes to the platform's origin only; a frame of another origin never receives it
      try { storage.postMessage(message, origin); } catch (e) { fail(); }
    }
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (finished || !m || typeof m !== 'object') { return; }
      if (m.message_id === capabilitiesId && m.subject === 'lti.capabilities.response'
          && (event.origin === origin || (pageOrigin && event.origin === pageOrigin))) {
        // which messages the platform supports, and in which frame (lti.capabilities), from the platform's own
        // origins only: only steers where we ask
        var entries = Array.isArray(m.supported_messages) ? m.supported_messages : [];
        var entry = null;
        for (var i = 0; i < entries.length; i++) { if (entries[i] && entries[i].subject === wanted) { entry = entries[i]; } }
        if (!entry) { fail(); return; }
        if (entry.frame) { storage = frameNamed(entry.frame) || storage; }
        ask();
        return;
      }
      if (event.origin !== origin || m.message_id !== messageId) { return; }
      if (m.error) { fail(); return; }
      if (mode === 'put' && m.subject === 'lti.put_data.response') {
        finished = true;
        window.location.replace(text('lti-continue-url'));
      } else if (mode === 'get' && m.subject === 'lti.get_data.response' && typeof m.value === 'string') {
        finished = true;
        document.getElementById('lti-storage-proof').value = m.value;
        document.getElementById('lti-launch').submit();
      }
    });
    if (platform) {
      // the platform window's origin may differ from its authentication endpoint's (a separate storage frame)
      try { platform.postMessage({subject: 'lti.capabilities', message_id: capabilitiesId}, '*'); } catch (e) { }
    }
    setTimeout(ask, 1000);   // a platform that does not answer lti.capabilities: ask the storage target directly
    setTimeout(fail, 4000);
  })();
</script>
</body>
</html>
