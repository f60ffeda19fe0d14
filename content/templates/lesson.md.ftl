<#-- A lesson's heading and intro, shown when the tutor or auto-play enters it. -->
# ${title}

<#if intro?has_content>
${intro}

</#if>
<#if !runsHere>
> This lesson runs on the ${backends?join(", ")} backend; you are on ${backend}. Restart with `--backend ${backends[0]}` to do its steps.

</#if>
