# expect: none
# seed: idempotent
from teams.models import Team

ROWS = [{"name": "red"}, {"name": "blue"}]

for row in ROWS:
    Team.objects.get_or_create(**row)
Team.objects.filter(active=False).update(active=True)
