<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiNewWindowTitle")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}#lti-new-window{display:none}
        a.button{display:inline-block;padding:.6em 1.2em;background:#0066cc;color:#fff;text-decoration:none;border-radius:3px}</style>
</head>
<body>
<p id="lti-checking">${msg("ltiCheckingBrowser")}</p>
<div id="lti-new-window">
    <p>${msg("ltiNewWindowText")}</p>
    <p><a class="button" id="lti-open-new-window" href="${ltiNewWindowUrl}" target="_blank" rel="noopener">${msg("ltiNewWindowButton")}</a></p>
</div>
<noscript><p><a href="${ltiContinueUrl}">${msg("ltiContinueButton")}</a></p></noscript>
<span id="lti-continue-url" hidden>${ltiContinueUrl}</span>
<span id="lti-cookie-check-url" hidden>${ltiCookieCheckUrl}</span>
<span id="lti-partitioned-retry-url" hidden>${ltiPartitionedRetryUrl}</span>
<script nonce="${ltiScriptNonce}">
  (function () {
    var continueUrl = document.getElementById('lti-continue-url').textContent;
    var partitionedRetryUrl = document.getElementById('lti-partitioned-retry-url').textContent;
    function offerNewWindow() {
      document.getElementById('lti-checking').style.display = 'none';
      document.getElementById('lti-new-window').style.display = 'block';
    }
    fetch(document.getElementById('lti-cookie-check-url').textContent, {credentials: 'include'})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.cookie) { window.location.replace(continueUrl); }
        else if (partitionedRetryUrl) { window.location.replace(partitionedRetryUrl); }
        else { offerNewWindow(); }
      })
      .catch(offerNewWindow);
  })();
</script>
</body>
</html>
