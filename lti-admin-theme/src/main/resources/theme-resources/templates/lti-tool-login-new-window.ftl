<#-- A tool's login inside the platform's frame, where Keycloak's login page cannot be shown: the same login in a new window. -->
<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiToolLoginTitle")}</title>
    <style>body{font-family:sans-serif;margin:2em;color:#151515}
        a.button{display:inline-block;padding:.6em 1.2em;background:#0066cc;color:#fff;text-decoration:none;border-radius:3px}</style>
</head>
<body>
<p id="lti-tool-login-text">${msg("ltiToolLoginText")}</p>
<p><a class="button" id="lti-open-new-window" href="${ltiNewWindowUrl}" target="_blank" rel="noopener">${msg("ltiToolLoginButton")}</a></p>
</body>
</html>
