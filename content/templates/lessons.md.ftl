## Lessons

<#list lessons as l>
${l?counter}. <#if l.done == l.steps && l.steps gt 0>✔<#elseif l.current>▶<#else>·</#if> **${l.title}** `${l.id}`: ${l.done}/${l.steps} steps<#if l.current> (you are here)</#if><#if !l.runsHere> (needs backend ${l.backends})</#if>
</#list>
