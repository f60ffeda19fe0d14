<#if resuming>
# Welcome back to ssilab

You were in lesson ${lessonNumber} of ${lessonCount}, **${lessonTitle}**, at step ${stepNumber} of ${stepCount}.
You have done ${stepsDone} of the course's ${stepsTotal} steps.
<#else>
# Welcome to ssilab

This is the HOWTO *Creating SSI clusters using UML (User-Mode Linux)*, made executable: each lesson is
a section of the HOWTO, each step asks you to do something on your machine or in your cluster, and
ssilab checks it before you go on.
</#if>

Cluster backend: **${backend}**<#if backend == "sim"> (the embedded OpenSSI simulator: instant, no privileges; what it shows is simulated, and the lessons say where)<#else> (real User-Mode Linux kernels)</#if>.
Your files go in `${workdir}`.

Type the step's commands yourself, or `run` to have them run for you. `hint` helps, `help` lists every command, `quit` saves and leaves.
