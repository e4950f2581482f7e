"""Actor coding and the event classifier."""
