"""What the account spends, without the UI: burn over time, runway, accrued cost per resource, budget alerts, watches.

Pure functions and small value types on plain numbers and the API's models, so
the spend view, the alerts and their tests share one reading of the bill, and
time is always passed in (a fake clock moves it in tests).
"""
