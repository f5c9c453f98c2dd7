<!DOCTYPE html>
<html>
<head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex, nofollow">
    <title>${msg("ltiToolConfigurationTitle", ltiAlias)}</title>
    <style>
        body{font-family:sans-serif;margin:2em;color:#151515}
        table{border-collapse:collapse;width:100%}td{padding:.4em;border-bottom:1px solid #ddd;vertical-align:top}
        td.name{font-weight:bold;white-space:nowrap}input{width:100%;font-family:monospace;padding:.3em}
    </style>
</head>
<body>
<h1>${msg("ltiToolConfigurationTitle", ltiAlias)}</h1>
<p>${msg("ltiToolConfigurationText")}</p>
<table>
    <#list ltiDetails as row>
        <tr><td class="name">${row.name}</td><td><input id="${row.name}" readonly value="${row.value}"></td></tr>
    </#list>
</table>
</body>
</html>
