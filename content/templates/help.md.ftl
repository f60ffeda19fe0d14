## Commands

<#-- The rows come from tutor.TutorCommand; typing a shell command is not one of them, and sits beside run: the two ways to do a step. -->
| command | what it does |
|---|---|
<#list commands as c>
| ${c.usage} | ${c.does} |
<#if c?is_first>
| *any shell command* | runs on the step's machine (your host, or a cluster node), then checks the step |
</#if>
</#list>

Tab completes commands and lesson ids; Ctrl-C stops a running command; the arrow keys recall earlier lines.
