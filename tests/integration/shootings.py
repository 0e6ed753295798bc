"""Local news reports of shootings, written the way several outlets report one: hours or days
apart, the toll revised, the neighbourhood or the city or the county named, the day as
"Friday night" or only by the publication date; two shootings on one day in one city; a
past shooting named in background; a roundup of two."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = [
    # North Side, Milwaukee, Friday night: one killed, two wounded; one of them dies on Sunday
    {"id": "north-1", "published_at": "2014-03-08", "title": "Man killed, two hurt in North Side shooting",
     "text": "MILWAUKEE - A 24-year-old man was killed and two other men were wounded in a shooting late Friday on the "
             "city's North Side, police said.\nThe shooting happened about 11:30 p.m. in the 3200 block of North 12th "
             "Street. Officers found the three men with gunshot wounds. The 24-year-old died at the scene.\nThe wounded "
             "men, ages 19 and 22, were taken to a hospital with injuries that were not considered life-threatening.\n"
             "No arrests have been made."},
    {"id": "north-2", "published_at": "2014-03-09", "title": "Police identify man killed in Friday shooting",
     "text": "Milwaukee police on Saturday identified the man killed in a North Side shooting Friday night as Deshawn "
             "Miller, 24.\nTwo other men, 19 and 22, were shot and remain hospitalized.\nPolice said the gunman fired "
             "from a passing car near North 12th Street and West Center Street."},
    {"id": "north-3", "published_at": "2014-03-10", "title": "Second man dies after Milwaukee shooting",
     "text": "The death toll in Friday night's shooting on Milwaukee's North Side rose to two on Sunday after a "
             "22-year-old man died at Froedtert Hospital, authorities said.\nDeshawn Miller, 24, died at the scene. A "
             "19-year-old man remains in stable condition."},
    # South Side, Milwaukee, the same Friday: a boy wounded
    {"id": "south-1", "published_at": "2014-03-08", "title": "Teen shot on South Side",
     "text": "A 16-year-old boy was shot in the leg Friday afternoon on Milwaukee's South Side, police said.\nThe boy was "
             "walking near South 16th Street and West Lincoln Avenue when someone opened fire about 3:15 p.m.\nHe was "
             "taken to Children's Hospital and is expected to survive. Police are looking for a suspect."},
    {"id": "south-2", "published_at": "2014-03-09", "title": "Boy, 16, wounded in Friday shooting",
     "text": "MILWAUKEE (AP) - Police are searching for the person who shot a 16-year-old boy on the city's South Side on "
             "Friday.\nThe teen suffered a gunshot wound to the leg. He was treated at Children's Hospital of Wisconsin.\n"
             "It was the third shooting in the city this week."},
    # Gary, Indiana, Monday night: a couple killed, their daughter wounded; a past shooting in background
    {"id": "gary-1", "published_at": "2014-03-11", "title": "Two dead in Gary home shooting",
     "text": "GARY, Ind. - Two people were killed and one was injured when a gunman opened fire inside a home on Monday "
             "night, Lake County officials said.\nThe victims were identified as Maria Lopez, 31, and James Lopez, 35. "
             "A 10-year-old girl was wounded.\nIn 2012, four people were killed in a shooting at a nearby apartment "
             "complex.\nPolice arrested a 40-year-old man on Tuesday."},
    {"id": "gary-2", "published_at": "2014-03-12", "title": "Gary man charged in double homicide",
     "text": "A Gary man has been charged with murder in the shooting deaths of a married couple in their home Monday, "
             "Lake County prosecutors said.\nMaria Lopez, 31, and James Lopez, 35, were shot to death. Their daughter, "
             "10, was shot in the arm and survived.\nRonald Hayes, 40, was arrested Tuesday and is being held in the "
             "Lake County Jail."},
]


def write_articles(path: Path) -> Path:
    path.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES))
    return path
