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
<span id="lti-platform-origins" hidden>${ltiPlatformOrigins}</span>
</#if>
<div id="lti-new-window">
<p id="lti-tool-login-text">${msg("ltiToolLoginText")}</p>
<p><a class="button" id="lti-open-new-window" href="${ltiNewWindowUrl}" target="_blank" rel="noopener">${msg("ltiToolLoginButton")}</a></p>
</div>
<#if ltiHintStorageKey?has_content>
<script nonce="${ltiScriptNonce}">
  (function () {
    // The launch hint a launch through Platform Storage left for this tool (lti.get_data), asked of and accepted from
    // the authentication origins of the platforms that launch this tool only. The request carries no secret; a hint
    // given back only repeats this authorization request with it (and a marker: the storage is never asked twice),
    // and the launch-hint step checks it as any hint (this realm and client, unused, unexpired, the tool's origin).
    function text(id) { var e = document.getElementById(id); return e ? e.textContent : ''; }
    function id() {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      return 'kc-' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    }
    var key = text('lti-storage-key'), origins = text('lti-platform-origins').split(' ').filter(Boolean);
    var capabilitiesId = id(), messageId = id(), asked = false, finished = false;
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
      origins.forEach(function (origin) {
        // a frame of any other origin never receives the question
        try { storage.postMessage({subject: 'lti.get_data', message_id: messageId, key: key}, origin); } catch (e) { }
      });
    }
    window.addEventListener('message', function (event) {
      var m = event.data;
      if (finished || !m || typeof m !== 'object') { return; }
      if (m.message_id === capabilitiesId && m.subject === 'lti.capabilities.response' && event.source === platform) {
        // which frame keeps the data (lti.capabilities): only steers where the question goes
        var entries = Array.isArray(m.supported_messages) ? m.supported_messages : [], entry = null;
        for (var i = 0; i < entries.length; i++) { if (entries[i] && entries[i].subject === 'lti.get_data') { entry = entries[i]; } }
        if (!entry) { offerNewWindow(); return; }
        if (entry.frame) { storage = frameNamed(entry.frame) || storage; }
        ask();
        return;
      }
      if (m.message_id !== messageId || m.subject !== 'lti.get_data.response' || event.source !== storage
          || origins.indexOf(event.origin) < 0) { return; }
      if (m.error || typeof m.value !== 'string' || m.value.indexOf('lti-launch.') !== 0 || m.value.length > 100) {
        offerNewWindow();
        return;
      }
      finished = true;
      // read once: no other frame of the platform's page finds it there afterwards
      try { storage.postMessage({subject: 'lti.put_data', message_id: id(), key: key, value: ''}, event.origin); } catch (e) { }
      var again = new URL(window.location.href);
      again.searchParams.set('login_hint', m.value);
      again.searchParams.set('kc_lti_hint_tried', '1');
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
