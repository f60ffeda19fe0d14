<#-- After solve passed: what was run, as the learner would type it (a question: the answer given). -->
<#if answer??>
The answer was:

```
answer ${answer}
```
<#else>
The solution was:

<#list blocks as b>
```sh run<#if b.node??> on=node:${b.node}</#if>
${b.code}```

</#list>
</#if>
