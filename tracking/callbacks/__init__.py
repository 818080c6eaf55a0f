"""Callbacks: the customer picks a time slot, the back office calls and reports back."""
