<#-- A tool's login inside the platform's frame, where Keycloak's login page cannot be shown: the launch hint from the
     platform's storage where a launch left one (ltiHintStorageKey), else the same login in a new window. -->
<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiToolLoginTitle")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}
        a.button{display:inline-block;padding:.6em 1.2em;background:#0066cc;color:#fff;text-decoration:none;border-radius:3px}
        <#if ltiHintStorageKey?has_content>#lti-new-window{display:none}</#if></style>
</head>
<body>
<#if ltiHintStorageKey?has_content>
<p id="lti-checking">${msg("ltiCheckingBrowser")}</p>
<span id="lti-storage-key" hidden>${ltiHintStorageKey}</span>
</#if>
<div id="lti-new-window">
<p id="lti-tool-login-text">${msg("ltiToolLoginText")}</p>
<p><a class="button" id="lti-open-new-window" href="${ltiNewWindowUrl}" target="_blank" rel="noopener">${msg("ltiToolLoginButton")}</a></p>
</div>
<#if ltiHintStorageKey?has_content>
<script nonce="${ltiScriptNonce}">
  (function () {
    // The launch hint a launch through Platform Storage left for this tool (lti.get_data). The request carries no
    // secret; a hint given back only repeats this authorization request with it, and the launch-hint step checks it
    // as any hint (this realm and client, unused, unexpired, the tool's origin).
    function text(id) { var e = document.getElementById(id); return e ? e.textContent : ''; }
    function id() { return 'kc-' + Math.random().toString(36).slice(2); }
    var key = text('lti-storage-key'), capabilitiesId = id(), messageId = id(), asked = false, finished = false;
    var platform = window.parent !== window ? window.parent : null, storage = platform;
    function frameNamed(name) {
      if (name === '_parent') { return window.parent; }
      try { return window.parent.frames[name] || null; } catch (e) { return null; }
    }
    function offerNewWindow() {
      if (finished) { return; }
      finished = true;
      document.getElementById('lti-checking').style.display = 'none';
      document.getElementById('lti-new-window').style.display = 'block';
    }
    function ask() {
      if (asked || finished) { return; }
      asked = true;
      if (!storage || storage === window) { offerNewWindow(); return; }
      try { storage.postMessage({subject: 'lti.get_data', message_id: messageId, key: key}, '*'); } catch (e) { offerNewWindow(); }
    }
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (finished || !m || typeof m !== 'object') { return; }
      if (m.message_id === capabilitiesId && m.subject === 'lti.capabilities.response' && event.source === platform) {
        var entries = Array.isArray(m.supported_messages) ? m.supported_messages : [], entry = null;
        for (var i = 0; i < entries.length; i++) { if (entries[i] && entries[i].subject === 'lti.get_data') { entry = entries[i]; } }
        if (!entry) { offerNewWindow(); return; }
        if (entry.frame) { storage = frameNamed(entry.frame) || storage; }
        ask();
        return;
      }
      if (m.message_id !== messageId || m.subject !== 'lti.get_data.response') { return; }
      if (m.error || typeof m.value !== 'string' || m.value.indexOf('lti-launch.') !== 0 || m.value.length > 100) {
        offerNewWindow();
        return;
      }
      finished = true;
      var again = new URL(window.location.href);
      again.searchParams.set('login_hint', m.value);
      window.location.replace(again.toString());
    });
    if (platform) {
      try { platform.postMessage({subject: 'lti.capabilities', message_id: capabilitiesId}, '*'); } catch (e) { }
    }
    setTimeout(ask, 1000);
    setTimeout(offerNewWindow, 4000);
  })();
</script>
</#if>
</body>
</html>
