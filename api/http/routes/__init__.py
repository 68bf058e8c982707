"""One router per resource; handlers parse, check access, call, format."""
