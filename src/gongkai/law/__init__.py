"""The law as code: working-day calendar, reply clock, dispositions, fees. Never imports Django."""
