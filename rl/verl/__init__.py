"""verl 0.9 integration: agent loop, registered TT-OPD loss, reward function, dataset export, configs."""
