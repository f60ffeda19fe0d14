## Status

- Lesson ${lessonNumber}/${lessonCount}: **${lessonTitle}** (`${lessonId}`)
- Step ${stepNumber}/${stepCount}: ${stepTitle}
- Course: ${stepsDone} of ${stepsTotal} steps done
- Backend: ${backend}<#if backend == "sim"> (simulated OpenSSI cluster)</#if>
- Cluster: <#if cluster.running>${cluster.id} is running<#else>none running (the next `ssi-start` makes ${cluster.id})</#if>
- Workdir: `${workdir}`
