<#-- One hint, numbered among the step's hints; a multi-line hint stays inside the quote. -->
> **Hint ${number}/${count}:** ${text?replace("\n", "\n> ")}
