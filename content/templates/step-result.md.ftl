<#if passed>
**✔ Step done:** ${step}
<#else>
**✘ Not done yet:** ${step}

<#list reasons as r>
- ${r}
</#list>

Type `hint` for a hint, or `solve` to see how.
</#if>
