<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiRegistrationDoneTitle")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}code{background:#f0f0f0;padding:.1em .3em}</style>
</head>
<body>
<h1 id="lti-registration-done">${msg("ltiRegistrationDoneTitle")}</h1>
<p>${msg("ltiRegistrationDoneText", ltiPlatformName, ltiAlias)}</p>
<script nonce="${ltiScriptNonce}">
  (window.opener || window.parent).postMessage({subject: 'org.imsglobal.lti.close'}, '*');
</script>
</body>
</html>
