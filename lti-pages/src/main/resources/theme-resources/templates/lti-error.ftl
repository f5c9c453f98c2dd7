<#-- An LTI error page: the message is formatted by the extension and printed as text (escaped), never as markup. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg("errorTitle")}
    <#elseif section = "form">
        <div id="kc-error-message">
            <p class="instruction" id="lti-error-text">${ltiErrorText}</p>
        </div>
    </#if>
</@layout.registrationLayout>
