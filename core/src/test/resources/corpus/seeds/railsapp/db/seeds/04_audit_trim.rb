# expect: DBG301
# seed: destructive
# AuditLog has no file in app/models: a method named delete_* is taken to delete
AuditLog.delete_older_than(90.days.ago)
