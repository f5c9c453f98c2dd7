<#-- What the LMS admin pastes into the platform: each value whole, with a copy button. -->
<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiToolConfigurationTitle", ltiAlias)}</title>
    <style>
        body{font-family:sans-serif;margin:2em;color:#151515;max-width:70em}
        table{border-collapse:collapse;width:100%}td{padding:.5em .4em;border-bottom:1px solid #ddd;vertical-align:top}
        td.name{font-weight:bold;width:16em}code{font-size:.95em;word-break:break-all;white-space:pre-wrap}
        button{margin-left:.6em;padding:.15em .7em;cursor:pointer}td.copy{width:6em;text-align:right}
        .none{color:#8a6d3b}
    </style>
</head>
<body>
<h1>${msg("ltiToolConfigurationTitle", ltiAlias)}</h1>
<p>${msg("ltiToolConfigurationText")}</p>
<table>
    <#list ltiDetails as row>
        <tr>
            <td class="name">${msg(row.label)}</td>
            <#if row.value?has_content>
            <td><code id="${row.key}">${row.value}</code></td>
            <td class="copy"><button type="button" data-copy="${row.key}">${msg("ltiConfigCopy")}</button></td>
            <#else>
            <td class="none" id="${row.key}">${msg("ltiConfigNone_" + row.key)}</td><td></td>
            </#if>
        </tr>
    </#list>
</table>
<p><a id="lti-registration-in-console" href="${ltiConsoleUrl}">${msg("ltiConfigRegistrationInConsole")}</a></p>
<script nonce="${ltiScriptNonce}">
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.addEventListener('click', function () {
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      var done = function () { button.textContent = '${msg("ltiConfigCopied")?js_string}'; };
      var byHand = function () {
        var area = document.createElement('textarea');
        area.value = text; document.body.appendChild(area); area.select(); document.execCommand('copy');
        document.body.removeChild(area); done();
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, byHand);
      } else {
        byHand();
      }
    });
  });
</script>
</body>
</html>
