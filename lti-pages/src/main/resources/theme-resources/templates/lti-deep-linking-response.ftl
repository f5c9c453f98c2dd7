<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiDeepLinkingReturnTitle")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}button{padding:.5em 1.2em}</style>
</head>
<body>
<form id="lti-deep-linking-response" method="post" action="${ltiReturnUrl}">
    <input type="hidden" name="JWT" value="${ltiJwt}">
    <p>${msg("ltiDeepLinkingReturnText")}</p>
    <noscript><button type="submit">${msg("ltiDeepLinkingReturnButton")}</button></noscript>
</form>
<script nonce="${ltiScriptNonce}">document.getElementById('lti-deep-linking-response').submit();</script>
</body>
</html>
