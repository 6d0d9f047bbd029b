"""Russian text checks (pure Python, no Django): answer checks and message screening."""
