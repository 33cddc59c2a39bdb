"""FAKE verl.trainer: the entry point and the training loop of the EasyR1 stand-in."""
