"""Follow-up tasks: the parts of a case the procedure hands to roles after the reporter's."""
