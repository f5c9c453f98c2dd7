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
    var mode = text('lti-storage-mode'), target = text('lti-storage-target'), origin = text('lti-platform-origin');
    var key = text('lti-storage-key'), messageId = 'kc-' + Math.random().toString(36).slice(2), finished = false;
    var storage = target === '_parent' ? window.parent : (window.parent.frames[target] || null);
    function fail() {
      if (finished) { return; }
      finished = true;
      if (mode === 'put') { window.location.replace(text('lti-fallback-url')); return; }
      document.getElementById('lti-checking').style.display = 'none';
      document.getElementById('lti-storage-failed').style.display = 'block';
    }
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (finished || event.origin !== origin || !m || typeof m !== 'object' || m.message_id !== messageId) { return; }
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
    if (!storage || storage === window) { fail(); return; }
    var message = {subject: mode === 'put' ? 'lti.put_data' : 'lti.get_data', message_id: messageId, key: key};
    if (mode === 'put') { message.value = text('lti-storage-value'); }
    try { storage.postMessage(message, origin); } catch (e) { fail(); return; }
    setTimeout(fail, 3000);
  })();
</script>
</body>
</html>
