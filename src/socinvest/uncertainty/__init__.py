"""Uncertainty: distributions on parameters, Monte Carlo through the one engine, sensitivity
(tornado) and switching values."""
