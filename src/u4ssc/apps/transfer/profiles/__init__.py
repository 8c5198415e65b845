"""Import profiles shipped with the platform (installed after ``migrate``)."""
