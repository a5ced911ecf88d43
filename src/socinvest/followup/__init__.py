"""Follow-up (opfølgning og gevinstrealisering): what really happened after the decision —
actual spending and activity against the plan, price levels, re-forecast, success criteria,
FIT and ADBB measurements — on the one engine."""
