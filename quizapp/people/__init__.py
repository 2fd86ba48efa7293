"""The officer's people pages: crews, their workers, extra time, deactivation and login cards."""
