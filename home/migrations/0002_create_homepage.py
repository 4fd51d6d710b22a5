"""Replace Wagtail's placeholder welcome page with our home page and point the site at it."""

from django.db import migrations

INTRODUCTION = (
    "<p>The national meeting place of the UK's community safety partnerships: the agreements, "
    "scheme write-ups and solutions that police forces, councils and their partners share.</p>"
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("home", "HomePage")

    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    root = Page.objects.get(depth=1)
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    next_number = int(last_child.path[4:8], 36) + 1 if last_child else 1
    path = root.path + _encode(next_number)
    homepage = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/home/",
        locale_id=root.locale_id,
        introduction=INTRODUCTION,
        live=True,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": homepage, "site_name": "Best-practice forum"},
    )


def _encode(number: int) -> str:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    while True:
        number, remainder = divmod(number, 36)
        digits = alphabet[remainder] + digits
        if not number:
            break
    return digits.rjust(4, "0")


def remove_homepage(apps, schema_editor):
    HomePage = apps.get_model("home", "HomePage")
    HomePage.objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
