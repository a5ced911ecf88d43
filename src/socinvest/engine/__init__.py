"""The vectorised engine: every quantity is a numpy array whose leading axis is the draw."""
