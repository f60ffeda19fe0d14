# You have reached the end of the course

You did ${stepsDone} of its ${stepsTotal} steps.<#if cluster.running> Your cluster ${cluster.id} is still running: `ssi-stop ${cluster.id}` stops it.</#if>

`lessons` shows them all again; `reset` starts over; `quit` leaves.
