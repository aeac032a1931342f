"""healthgym: a training and evaluation gym for medical AI agents, built on the Model Context Protocol.

Not for clinical use: every patient is synthetic and no output is medical advice.
"""

__version__ = "0.1.0"
