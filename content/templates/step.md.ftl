<#-- A step's heading and prose; under it, a note when it is done already or runs on another backend. -->
## Step ${number}/${count}: ${title}

${prose}
<#if done>

*You have done this step already: type `next` to go on.*
<#elseif !runsHere>

*This step runs on the ${backends?join(", ")} backend, not on ${backend}: read what it says above, then type `next`.*
</#if>
