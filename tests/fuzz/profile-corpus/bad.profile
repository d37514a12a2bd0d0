profile bad
rows x
requests r{a=~"(5)"}
breaker b value 1=shut
