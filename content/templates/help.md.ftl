## Commands

| command | what it does |
|---|---|
| `run` | runs the step's commands for you, showing each, then checks the step |
| *any shell command* | runs on the step's machine (your host, or a cluster node), then checks the step |
| `check` | checks the step again and says what is missing |
| `hint` | shows one more hint |
| `solve` | runs the solution, then shows it once the check passes |
| `answer TEXT` | answers a question step |
| `next`, `back` | the next step (once this one is done), the previous one |
| `lessons` | the lessons, with what you have done |
| `goto ID` | jumps to a lesson |
| `status` | where you are, your cluster and backend |
| `reset [ID]` | forgets your progress in one lesson, or in the whole course |
| `quit` | saves and leaves; `ssilab` brings you back here |

Tab completes commands and lesson ids; Ctrl-C stops a running command; the arrow keys recall earlier lines.
