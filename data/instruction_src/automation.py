"""Tool-use plans: a user goal plus a list of tools -> a short plan and a JSON array of calls.

Conventions (documented in data/README.md):
- Every tool is listed as `- name {"param": "type", ...}`; calls only use listed tools and listed params.
- A later call can use an earlier call's output with a placeholder "{{stepN.field}}" (N is 1-based in the
  response's own call list).
- Error recovery: the instruction shows a tool log with an error; the response retries, waits, fixes the
  argument, looks something up, falls back to another tool, requests access, or asks the user.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .common import CITIES, cap, pick_names

TOOLS = {
    "send_email": {"to": "string", "subject": "string", "body": "string"},
    "search_contacts": {"query": "string"},
    "get_weather": {"city": "string", "date": "YYYY-MM-DD"},
    "backup_weather": {"city": "string", "date": "YYYY-MM-DD"},
    "send_sms": {"phone": "string", "message": "string"},
    "send_whatsapp": {"phone": "string", "message": "string"},
    "create_calendar_event": {"title": "string", "start": "YYYY-MM-DDTHH:MM", "duration_minutes": "integer",
                              "attendees": "list of emails"},
    "find_free_slot": {"attendees": "list of emails", "date": "YYYY-MM-DD", "duration_minutes": "integer"},
    "list_calendar_events": {"date": "YYYY-MM-DD", "query": "string"},
    "cancel_calendar_event": {"event_id": "string", "notify_attendees": "boolean"},
    "slack_post_message": {"channel": "string", "text": "string"},
    "slack_find_channel": {"name": "string"},
    "create_ticket": {"project": "string", "title": "string", "description": "string",
                      "priority": "low | medium | high"},
    "http_get": {"url": "string", "timeout_seconds": "integer"},
    "http_post": {"url": "string", "json": "object"},
    "schedule_job": {"name": "string", "cron": "cron expression", "command": "string"},
    "run_sql": {"database": "string", "query": "string"},
    "upload_file": {"path": "string", "destination": "string"},
    "list_files": {"folder": "string", "pattern": "string"},
    "move_file": {"source": "string", "destination": "string"},
    "create_folder": {"path": "string"},
    "resize_image": {"path": "string", "width": "integer", "height": "integer"},
    "translate_text": {"text": "string", "target_language": "string"},
    "summarize_text": {"text": "string", "max_words": "integer"},
    "web_search": {"query": "string", "max_results": "integer"},
    "news_search": {"query": "string", "max_results": "integer"},
    "get_stock_price": {"symbol": "string"},
    "convert_currency": {"amount": "number", "from": "currency code", "to": "currency code"},
    "set_reminder": {"text": "string", "time": "YYYY-MM-DDTHH:MM"},
    "create_github_issue": {"repo": "owner/name", "title": "string", "body": "string", "labels": "list of strings"},
    "list_github_issues": {"repo": "owner/name", "state": "open | closed", "label": "string"},
    "trigger_build": {"pipeline": "string", "branch": "string"},
    "get_build_status": {"build_id": "string"},
    "restart_service": {"host": "string", "service": "string"},
    "check_url_status": {"url": "string"},
    "search_flights": {"origin": "string", "destination": "string", "date": "YYYY-MM-DD", "max_price": "number"},
    "add_spreadsheet_row": {"spreadsheet": "string", "sheet": "string", "values": "list"},
    "share_file": {"path": "string", "email": "string", "role": "viewer | editor"},
    "get_order": {"order_id": "string"},
    "refund_order": {"order_id": "string", "amount": "number"},
    "add_to_mailing_list": {"list_name": "string", "email": "string"},
    "set_out_of_office": {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "message": "string"},
    "create_backup": {"database": "string", "destination": "string"},
    "set_thermostat": {"room": "string", "celsius": "number"},
    "turn_on_lights": {"room": "string", "brightness": "integer 0-100"},
    "social_post": {"platform": "string", "text": "string", "schedule_time": "YYYY-MM-DDTHH:MM"},
    "wait": {"seconds": "integer"},
    "ask_user": {"question": "string"},
    "request_access": {"resource": "string", "reason": "string"},
}

ALTERNATIVES = {"get_weather": "backup_weather", "web_search": "news_search", "send_sms": "send_whatsapp"}
DATE_TYPES = {"YYYY-MM-DD", "YYYY-MM-DDTHH:MM"}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
REF = re.compile(r"\{\{step(\d+)\.([\w\.\[\]]+)\}\}")


@dataclass
class Call:
    name: str
    args: dict
    plan: str
    result: dict = field(default_factory=dict)  # what the tool returns (shown when a later step failed)

    def as_json(self):
        return {"name": self.name, "arguments": self.args}


@dataclass
class Scenario:
    key: str
    goal: str
    calls: list[Call]
    today: date
    extra_tools: list[str] = field(default_factory=list)
    note: str = ""  # optional first line of the response (e.g. why we ask)


@dataclass
class Ctx:
    rng: object
    today: date

    def person(self):
        name = pick_names(self.rng, 1)[0]
        domain = self.rng.choice(["example.com", "acme.io", "mail.test", "studio.example", "corp.example"])
        return name, f"{name.lower()}@{domain}"

    def day(self):
        """A future day as (phrase, date)."""
        r = self.rng.random()
        if r < 0.3:
            return "tomorrow", self.today + timedelta(days=1)
        if r < 0.45:
            return "the day after tomorrow", self.today + timedelta(days=2)
        if r < 0.75:
            wd = self.rng.randrange(7)
            ahead = (wd - self.today.weekday()) % 7 or 7
            return f"on {WEEKDAYS[wd]}", self.today + timedelta(days=ahead)
        d = self.today + timedelta(days=self.rng.randint(3, 40))
        return f"on {MONTHS[d.month - 1]} {d.day}", d

    def clock(self):
        h = self.rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 17])
        m = self.rng.choice([0, 0, 30, 15, 45])
        label = f"{h if h <= 12 else h - 12}{f':{m:02d}' if m else ''} {'am' if h < 12 else 'pm'}"
        return label, h, m


def iso(d: date, h=None, m=0):
    return d.isoformat() if h is None else f"{d.isoformat()}T{h:02d}:{m:02d}"


# ----------------------------------------------------------------------------- scenarios
def s_weather_email(c: Ctx):
    city = c.rng.choice(CITIES)
    when, d = c.day()
    name, email = c.person()
    goal = c.rng.choice([f"Email {name} ({email}) the weather forecast for {city} {when}.",
                         f"Check the weather in {city} {when} and send it to {name} at {email}.",
                         f"{name} is travelling to {city}. Send {email} a short forecast for {when.replace('on ', '')}."])
    return Scenario("weather_email", goal, [
        Call("get_weather", {"city": city, "date": iso(d)}, f"Get the forecast for {city} on {iso(d)}.",
             {"summary": c.rng.choice(["sunny", "light rain", "cloudy", "windy", "showers"]),
              "high_c": c.rng.randint(4, 31), "low_c": c.rng.randint(-3, 12)}),
        Call("send_email", {"to": email, "subject": f"Weather in {city} on {iso(d)}",
                            "body": f"Forecast for {city}: {{{{step1.summary}}}}, high {{{{step1.high_c}}}}°C, "
                                    f"low {{{{step1.low_c}}}}°C."},
             f"Email the forecast to {name}."),
    ], c.today)


def s_weather_sms(c: Ctx):
    city = c.rng.choice(CITIES)
    when, d = c.day()
    phone = f"+1 555 01{c.rng.randint(10, 99)}"
    goal = c.rng.choice([f"Text me ({phone}) whether I need an umbrella in {city} {when}.",
                         f"Send an SMS to {phone} with the {city} forecast for {when.replace('on ', '')}."])
    return Scenario("weather_sms", goal, [
        Call("get_weather", {"city": city, "date": iso(d)}, f"Look up the {city} forecast for {iso(d)}.",
             {"summary": c.rng.choice(["rain", "sunny", "cloudy"]), "rain_chance": c.rng.randint(0, 100)}),
        Call("send_sms", {"phone": phone, "message": f"{city} {iso(d)}: {{{{step1.summary}}}}, "
                                                     f"{{{{step1.rain_chance}}}}% chance of rain."},
             "Text the summary and the chance of rain."),
    ], c.today)


def s_schedule_meeting(c: Ctx):
    people = [c.person() for _ in range(c.rng.randint(1, 3))]
    when, d = c.day()
    dur = c.rng.choice([30, 45, 60, 90])
    topic = c.rng.choice(["budget review", "sprint planning", "design critique", "onboarding check-in",
                          "quarterly goals", "vendor demo", "project kickoff"])
    names = ", ".join(n for n, _ in people)
    emails = [e for _, e in people]
    goal = c.rng.choice([f"Find a free {dur}-minute slot {when} with {names} and book a '{topic}' meeting.",
                         f"Set up a {dur} min {topic} with {names} {when}, whenever everyone is free.",
                         f"Book {dur} minutes {when} for a {topic} with {names} ({', '.join(emails)})."])
    if "(" not in goal:
        goal += " Emails: " + ", ".join(emails) + "."
    return Scenario("schedule_meeting", goal, [
        Call("find_free_slot", {"attendees": emails, "date": iso(d), "duration_minutes": dur},
             f"Find a time on {iso(d)} when everyone is free.", {"start": iso(d, 14, 0)}),
        Call("create_calendar_event", {"title": cap(topic), "start": "{{step1.start}}", "duration_minutes": dur,
                                       "attendees": emails},
             "Create the event in that slot and invite them."),
    ], c.today)


def s_meeting_at_time(c: Ctx):
    name, email = c.person()
    when, d = c.day()
    label, h, m = c.clock()
    topic = c.rng.choice(["1:1", "coffee chat", "interview debrief", "contract review", "weekly sync"])
    agenda = c.rng.choice(["status updates and blockers", "the hiring plan", "next month's launch",
                           "the draft contract", "open questions from the demo"])
    goal = c.rng.choice([f"Book a {topic} with {name} ({email}) {when} at {label} for 30 minutes and email them the agenda: {agenda}.",
                         f"Put a 30-minute {topic} with {email} in my calendar {when} at {label}, then send {name} an email with the agenda ({agenda})."])
    return Scenario("meeting_at_time", goal, [
        Call("create_calendar_event", {"title": cap(topic) + f" with {name}", "start": iso(d, h, m),
                                       "duration_minutes": 30, "attendees": [email]},
             f"Create the event on {iso(d)} at {h:02d}:{m:02d}.", {"event_id": f"evt_{c.rng.randint(100, 999)}"}),
        Call("send_email", {"to": email, "subject": f"Agenda: {topic} {iso(d)}",
                            "body": f"Hi {name}, agenda for our {topic}: {agenda}."},
             "Email the agenda."),
    ], c.today)


def s_cancel_meeting(c: Ctx):
    when, d = c.day()
    topic = c.rng.choice(["team lunch", "design review", "standup", "client call", "retro", "budget meeting"])
    reason = c.rng.choice(["I'm sick", "the client postponed", "half the team is out", "there's nothing to discuss"])
    goal = c.rng.choice([f"Cancel the {topic} {when} and let the attendees know ({reason}).",
                         f"Please call off {when.replace('on ', '')}'s {topic}; {reason}. Notify everyone invited."])
    return Scenario("cancel_meeting", goal, [
        Call("list_calendar_events", {"date": iso(d), "query": topic}, f"Find the {topic} on {iso(d)}.",
             {"event_id": f"evt_{c.rng.randint(100, 999)}"}),
        Call("cancel_calendar_event", {"event_id": "{{step1.event_id}}", "notify_attendees": True},
             "Cancel it and notify the attendees."),
    ], c.today)


def s_reminder(c: Ctx):
    when, d = c.day()
    label, h, m = c.clock()
    task = c.rng.choice(["pay the electricity bill", "call the dentist", "water the plants", "submit the timesheet",
                         "renew my passport", "pick up the dry cleaning", "send mom a birthday card",
                         "back up my laptop", "book the car service"])
    goal = c.rng.choice([f"Remind me to {task} {when} at {label}.", f"Set a reminder {when} at {label}: {task}.",
                         f"Can you make sure I remember to {task}? {cap(when)}, {label} is good."])
    return Scenario("reminder", goal, [
        Call("set_reminder", {"text": cap(task), "time": iso(d, h, m)}, f"Set the reminder for {iso(d, h, m)}."),
    ], c.today)


def s_two_reminders(c: Ctx):
    task = c.rng.choice(["take my medication", "stretch", "drink a glass of water", "check the oven timer"])
    (l1, h1, m1), (l2, h2, m2) = sorted([c.clock(), c.clock()], key=lambda x: (x[1], x[2]))
    if (h1, m1) == (h2, m2):
        h2 = h1 + 2 if h1 < 15 else h1 - 2
        l2 = f"{h2 if h2 <= 12 else h2 - 12}{f':{m2:02d}' if m2 else ''} {'am' if h2 < 12 else 'pm'}"
        (l1, h1, m1), (l2, h2, m2) = sorted([(l1, h1, m1), (l2, h2, m2)], key=lambda x: (x[1], x[2]))
    d = c.today + timedelta(days=1)
    goal = f"Tomorrow, remind me to {task} at {l1} and again at {l2}."
    return Scenario("two_reminders", goal, [
        Call("set_reminder", {"text": cap(task), "time": iso(d, h1, m1)}, f"Reminder at {h1:02d}:{m1:02d}."),
        Call("set_reminder", {"text": cap(task), "time": iso(d, h2, m2)}, f"Second reminder at {h2:02d}:{m2:02d}."),
    ], c.today)


CRON = [("every night at 2am", "0 2 * * *"), ("every day at 6:30 in the morning", "30 6 * * *"),
        ("every Monday at 9am", "0 9 * * 1"), ("every 15 minutes", "*/15 * * * *"), ("every hour", "0 * * * *"),
        ("on the first day of every month at midnight", "0 0 1 * *"), ("every Friday at 5pm", "0 17 * * 5"),
        ("every weekday at 8am", "0 8 * * 1-5"), ("every Sunday at 11pm", "0 23 * * 0"),
        ("every 5 minutes", "*/5 * * * *"), ("twice a day, at 9am and 9pm", "0 9,21 * * *"),
        ("every Saturday at 3:15am", "15 3 * * 6")]


def s_cron_job(c: Ctx):
    phrase, cron = c.rng.choice(CRON)
    job = c.rng.choice([("nightly-backup", "/opt/scripts/backup.sh", "run my backup script"),
                        ("clean-tmp", "find /tmp -type f -mtime +7 -delete", "delete temp files older than a week"),
                        ("sync-reports", "python3 /srv/jobs/sync_reports.py", "sync the sales reports"),
                        ("renew-certs", "certbot renew --quiet", "renew the TLS certificates"),
                        ("rotate-logs", "logrotate /etc/logrotate.conf", "rotate the logs"),
                        ("warm-cache", "curl -s https://shop.example/warm", "warm up the shop cache")])
    goal = c.rng.choice([f"Set up a cron job to {job[2]} {phrase}. The command is `{job[1]}`.",
                         f"Schedule `{job[1]}` to run {phrase} (call the job {job[0]}).",
                         f"I want to {job[2]} automatically, {phrase}. Command: {job[1]}"])
    return Scenario("cron_job", goal, [
        Call("schedule_job", {"name": job[0], "cron": cron, "command": job[1]},
             f"\"{phrase}\" in cron syntax is `{cron}`; schedule the command with it."),
    ], c.today)


def s_db_backup(c: Ctx):
    db = c.rng.choice(["orders", "crm", "analytics", "users", "inventory"])
    dest = c.rng.choice(["s3://backups/" + db, "dropbox:/db-backups", "gs://acme-backups/" + db])
    channel = c.rng.choice(["#ops", "#infra", "#backend", "#alerts"])
    goal = c.rng.choice([f"Back up the {db} database to {dest} and post in {channel} when it's done.",
                         f"Make a backup of {db} (destination {dest}), then tell {channel} it finished."])
    return Scenario("db_backup", goal, [
        Call("create_backup", {"database": db, "destination": dest}, f"Back up {db} to {dest}.",
             {"backup_id": f"bk_{c.rng.randint(1000, 9999)}", "size_mb": c.rng.randint(50, 9000)}),
        Call("slack_post_message", {"channel": channel,
                                    "text": f"Backup of {db} finished: {{{{step1.backup_id}}}} ({{{{step1.size_mb}}}} MB)."},
             f"Post the result in {channel}."),
    ], c.today)


def s_github_bug(c: Ctx):
    repo = c.rng.choice(["acme/webshop", "acme/mobile-app", "team/api", "lab/data-pipeline", "oss/cli-tool"])
    bug = c.rng.choice([("Login button does nothing on Safari", "Clicking Login on Safari 17 has no effect."),
                        ("Export to CSV drops the last row", "The CSV export is missing the final row."),
                        ("Crash when uploading a PNG over 10 MB", "The app crashes on large PNG uploads."),
                        ("Dates shown in UTC instead of local time", "Order dates ignore the user's time zone."),
                        ("Search returns duplicates", "Searching 'shoes' lists some products twice.")])
    channel = c.rng.choice(["#dev", "#bugs", "#mobile", "#backend"])
    goal = c.rng.choice([f"File a bug in {repo}: \"{bug[0]}\". {bug[1]} Then let {channel} know.",
                         f"Open a GitHub issue on {repo} labeled bug for this: {bug[1]} Post the link in {channel}."])
    return Scenario("github_bug", goal, [
        Call("create_github_issue", {"repo": repo, "title": bug[0], "body": bug[1], "labels": ["bug"]},
             f"Create the issue in {repo} with the bug label.",
             {"url": f"https://github.com/{repo}/issues/{c.rng.randint(10, 900)}"}),
        Call("slack_post_message", {"channel": channel, "text": "New bug filed: {{step1.url}}"},
             f"Share the link in {channel}."),
    ], c.today)


def s_issue_digest(c: Ctx):
    repo = c.rng.choice(["acme/webshop", "team/api", "oss/cli-tool", "lab/ml-models"])
    label = c.rng.choice(["bug", "urgent", "good first issue", "regression"])
    channel = c.rng.choice(["#dev", "#standup", "#triage"])
    words = c.rng.choice([50, 80, 100])
    goal = c.rng.choice([f"List the open '{label}' issues in {repo}, summarize them in about {words} words and post the summary to {channel}.",
                         f"Give {channel} a short digest (max {words} words) of open {label} issues on {repo}."])
    return Scenario("issue_digest", goal, [
        Call("list_github_issues", {"repo": repo, "state": "open", "label": label},
             f"Fetch the open {label} issues.", {"issues": "#12 crash on start; #15 slow search"}),
        Call("summarize_text", {"text": "{{step1.issues}}", "max_words": words}, f"Summarize them in {words} words.",
             {"summary": "Two open issues: a crash on start and slow search."}),
        Call("slack_post_message", {"channel": channel, "text": "{{step2.summary}}"}, f"Post it to {channel}."),
    ], c.today)


def s_site_status(c: Ctx):
    url = c.rng.choice(["https://shop.example.com", "https://status.acme.io", "https://api.example.org/health",
                        "https://blog.example.net"])
    channel = c.rng.choice(["#ops", "#oncall", "#web"])
    goal = c.rng.choice([f"Check if {url} is up and post the status code in {channel}.",
                         f"Is {url} responding? Report the HTTP status to {channel}."])
    return Scenario("site_status", goal, [
        Call("check_url_status", {"url": url}, f"Check {url}.", {"status_code": 200, "latency_ms": 120}),
        Call("slack_post_message", {"channel": channel,
                                    "text": f"{url} returned {{{{step1.status_code}}}} in {{{{step1.latency_ms}}}} ms."},
             f"Post the status in {channel}."),
    ], c.today)


TRANSLATIONS = {
    "Your order has shipped and should arrive on Monday.": {
        "Spanish": "Tu pedido ha sido enviado y debería llegar el lunes.",
        "German": "Deine Bestellung wurde versandt und sollte am Montag ankommen.",
        "French": "Votre commande a été expédiée et devrait arriver lundi.",
        "Portuguese": "O seu pedido foi enviado e deve chegar na segunda-feira.",
        "Italian": "Il tuo ordine è stato spedito e dovrebbe arrivare lunedì.",
        "Japanese": "ご注文の商品は発送済みで、月曜日に到着する予定です。"},
    "The workshop moves to room 4B at 10am.": {
        "Spanish": "El taller se traslada a la sala 4B a las 10 de la mañana.",
        "German": "Der Workshop findet ab 10 Uhr in Raum 4B statt.",
        "French": "L'atelier est déplacé en salle 4B à 10 h.",
        "Portuguese": "O workshop muda para a sala 4B às 10h.",
        "Italian": "Il workshop si sposta nella sala 4B alle 10.",
        "Japanese": "ワークショップは午前10時から4B教室に移動します。"},
    "Thanks for your feedback, we fixed the issue you reported.": {
        "Spanish": "Gracias por tus comentarios, hemos solucionado el problema que nos indicaste.",
        "German": "Danke für dein Feedback, wir haben das gemeldete Problem behoben.",
        "French": "Merci pour votre retour, nous avons corrigé le problème que vous avez signalé.",
        "Portuguese": "Obrigado pelo seu feedback, corrigimos o problema que você relatou.",
        "Italian": "Grazie per il tuo feedback, abbiamo risolto il problema che hai segnalato.",
        "Japanese": "ご意見ありがとうございます。ご報告いただいた問題を修正しました。"},
    "Please sign the attached form before Friday.": {
        "Spanish": "Por favor, firma el formulario adjunto antes del viernes.",
        "German": "Bitte unterschreibe das beigefügte Formular vor Freitag.",
        "French": "Merci de signer le formulaire ci-joint avant vendredi.",
        "Portuguese": "Por favor, assine o formulário em anexo antes de sexta-feira.",
        "Italian": "Per favore, firma il modulo allegato prima di venerdì.",
        "Japanese": "金曜日までに添付の書類に署名してください。"},
}


def s_translate_email(c: Ctx):
    name, email = c.person()
    lang = c.rng.choice(["Spanish", "German", "French", "Portuguese", "Japanese", "Italian"])
    text = c.rng.choice(list(TRANSLATIONS))
    goal = c.rng.choice([f"Translate this into {lang} and email it to {name} ({email}): \"{text}\"",
                         f"Send {email} the following message in {lang}: {text}"])
    return Scenario("translate_email", goal, [
        Call("translate_text", {"text": text, "target_language": lang}, f"Translate the message into {lang}.",
             {"translation": TRANSLATIONS[text][lang]}),
        Call("send_email", {"to": email, "subject": "Message", "body": "{{step1.translation}}"},
             f"Email the translation to {name}."),
    ], c.today)


def s_research(c: Ctx):
    topic = c.rng.choice(["heat pumps for small apartments", "the new EU battery regulation", "remote work trends",
                          "best practices for API rate limiting", "electric cargo bikes", "four-day work week trials"])
    name, email = c.person()
    words = c.rng.choice([100, 150, 200])
    goal = c.rng.choice([f"Research {topic}, summarize the top results in {words} words and email it to {email}.",
                         f"Find a few good sources on {topic} and send {name} ({email}) a {words}-word summary."])
    return Scenario("research", goal, [
        Call("web_search", {"query": topic, "max_results": 5}, f"Search the web for {topic}.",
             {"results": f"5 articles about {topic}"}),
        Call("summarize_text", {"text": "{{step1.results}}", "max_words": words}, f"Summarize in {words} words.",
             {"summary": f"Overview of {topic}: main findings, costs and open questions from 5 sources."}),
        Call("send_email", {"to": email, "subject": f"Summary: {topic}", "body": "{{step2.summary}}"},
             f"Email the summary to {name}."),
    ], c.today)


def s_stock(c: Ctx):
    sym = c.rng.choice(["AAPL", "MSFT", "NVDA", "SAP", "TSLA", "ASML", "SHOP"])
    phone = f"+44 7700 900{c.rng.randint(100, 999)}"
    goal = c.rng.choice([f"Text me the current {sym} share price at {phone}.",
                         f"What's {sym} trading at? Send it by SMS to {phone}."])
    return Scenario("stock", goal, [
        Call("get_stock_price", {"symbol": sym}, f"Get the {sym} price.", {"price": 182.5, "currency": "USD"}),
        Call("send_sms", {"phone": phone, "message": f"{sym}: {{{{step1.price}}}} {{{{step1.currency}}}}"},
             "Text it."),
    ], c.today)


def s_expense_log(c: Ctx):
    amount = c.rng.choice([45, 120, 89.9, 300, 1250, 64.5])
    cur_from, cur_to = c.rng.sample(["EUR", "USD", "GBP", "JPY", "CHF"], 2)
    what = c.rng.choice(["hotel", "train ticket", "conference fee", "client dinner", "taxi"])
    sheet = c.rng.choice(["Expenses 2026", "Travel costs", "Team budget"])
    goal = c.rng.choice([f"Convert {amount} {cur_from} to {cur_to} and add a row to the '{sheet}' spreadsheet (sheet 'Log') with the date, '{what}' and the converted amount.",
                         f"Log my {what} of {amount} {cur_from} in {sheet} (sheet Log), converted to {cur_to}, with today's date."])
    return Scenario("expense_log", goal, [
        Call("convert_currency", {"amount": amount, "from": cur_from, "to": cur_to},
             f"Convert {amount} {cur_from} to {cur_to}.", {"converted": 100.0}),
        Call("add_spreadsheet_row", {"spreadsheet": sheet, "sheet": "Log",
                                     "values": [c.today.isoformat(), what, "{{step1.converted}}"]},
             "Add the row with today's date."),
    ], c.today)


def s_move_files(c: Ctx):
    files = c.rng.sample(["invoice_0412.pdf", "tax_return_2025.pdf", "lease.pdf", "payslip_march.pdf",
                          "receipt_laptop.pdf", "insurance_policy.pdf"], c.rng.randint(2, 3))
    src = c.rng.choice(["~/Downloads", "~/Desktop"])
    dest = c.rng.choice(["~/Documents/Finance", "~/Documents/Taxes 2025", "~/Paperwork"])
    goal = c.rng.choice([f"Create the folder {dest} and move {', '.join(files)} there from {src}.",
                         f"Tidy up {src}: put {', '.join(files)} into a new folder {dest}."])
    calls = [Call("create_folder", {"path": dest}, f"Create {dest}.")]
    for f_ in files:
        calls.append(Call("move_file", {"source": f"{src}/{f_}", "destination": f"{dest}/{f_}"}, f"Move {f_}."))
    return Scenario("move_files", goal, calls, c.today)


def s_resize_upload(c: Ctx):
    img = c.rng.choice(["team_photo.jpg", "banner.png", "product_shot.jpg", "logo.png"])
    w, h = c.rng.choice([(1200, 630), (800, 800), (1920, 1080), (400, 400)])
    dest = c.rng.choice(["cms:/images/blog", "s3://site-assets/img", "drive:/Marketing/Web"])
    goal = c.rng.choice([f"Resize ~/Pictures/{img} to {w}x{h} and upload it to {dest}.",
                         f"I need ~/Pictures/{img} at {w} by {h} pixels, uploaded to {dest}."])
    return Scenario("resize_upload", goal, [
        Call("resize_image", {"path": f"~/Pictures/{img}", "width": w, "height": h}, f"Resize to {w}x{h}.",
             {"output_path": f"~/Pictures/{img.split('.')[0]}_{w}x{h}.{img.split('.')[1]}"}),
        Call("upload_file", {"path": "{{step1.output_path}}", "destination": dest}, f"Upload the result to {dest}."),
    ], c.today)


def s_share_doc(c: Ctx):
    name, email = c.person()
    doc = c.rng.choice(["Q3 report.docx", "roadmap.pdf", "budget.xlsx", "pitch deck.pptx"])
    role = c.rng.choice(["viewer", "editor"])
    verb = "view" if role == "viewer" else "edit"
    goal = c.rng.choice([f"Share ~/Shared/{doc} with {email} so they can {verb} it, and email {name} to say it's shared.",
                         f"Give {name} ({email}) {role} access to ~/Shared/{doc} and send them a heads-up email."])
    return Scenario("share_doc", goal, [
        Call("share_file", {"path": f"~/Shared/{doc}", "email": email, "role": role},
             f"Share the file with {role} rights.", {"link": "https://drive.example/f/abc"}),
        Call("send_email", {"to": email, "subject": f"Shared: {doc}",
                            "body": f"Hi {name}, I shared {doc} with you: {{{{step1.link}}}}"},
             f"Let {name} know."),
    ], c.today)


def s_out_of_office(c: Ctx):
    start = c.today + timedelta(days=c.rng.randint(2, 20))
    end = start + timedelta(days=c.rng.randint(3, 14))
    channel = c.rng.choice(["#team", "#general", "#design", "#support"])
    backup = pick_names(c.rng, 1)[0]
    goal = c.rng.choice([f"Turn on my out-of-office from {start.isoformat()} to {end.isoformat()} (urgent things go to {backup}) and tell {channel}.",
                         f"I'm off {MONTHS[start.month - 1]} {start.day} to {MONTHS[end.month - 1]} {end.day}. Set an auto-reply pointing people to {backup} and post a note in {channel}."])
    return Scenario("out_of_office", goal, [
        Call("set_out_of_office", {"start": start.isoformat(), "end": end.isoformat(),
                                   "message": f"I'm away until {end.isoformat()}. For urgent matters contact {backup}."},
             f"Set the auto-reply from {start.isoformat()} to {end.isoformat()}."),
        Call("slack_post_message", {"channel": channel,
                                    "text": f"I'm out {start.isoformat()} to {end.isoformat()}; {backup} covers urgent items."},
             f"Tell {channel}."),
    ], c.today)


def s_refund(c: Ctx):
    oid = f"ORD-{c.rng.randint(10000, 99999)}"
    reason = c.rng.choice(["arrived damaged", "never arrived", "was the wrong size", "was charged twice"])
    goal = c.rng.choice([f"Order {oid} {reason}. Refund it in full and email the customer a confirmation.",
                         f"Customer says order {oid} {reason}. Please issue a full refund and let them know by email."])
    return Scenario("refund", goal, [
        Call("get_order", {"order_id": oid}, "Look up the order total and the customer's email.",
             {"total": 59.9, "customer_email": "buyer@example.com"}),
        Call("refund_order", {"order_id": oid, "amount": "{{step1.total}}"}, "Refund the full amount."),
        Call("send_email", {"to": "{{step1.customer_email}}", "subject": f"Refund for {oid}",
                            "body": f"We're sorry your order {reason}. A full refund has been issued."},
             "Email the customer."),
    ], c.today)


def s_deploy(c: Ctx):
    pipeline = c.rng.choice(["web-prod", "api-staging", "mobile-release", "docs-site"])
    branch = c.rng.choice(["main", "release/2.4", "hotfix/login", "develop"])
    channel = c.rng.choice(["#deploys", "#releases", "#dev"])
    goal = c.rng.choice([f"Run the {pipeline} pipeline on {branch}, check the build status and post it in {channel}.",
                         f"Kick off a {pipeline} build from {branch} and tell {channel} how it went."])
    return Scenario("deploy", goal, [
        Call("trigger_build", {"pipeline": pipeline, "branch": branch}, f"Start {pipeline} on {branch}.",
             {"build_id": f"b-{c.rng.randint(1000, 9999)}"}),
        Call("get_build_status", {"build_id": "{{step1.build_id}}"}, "Check the build status.",
             {"status": "passed"}),
        Call("slack_post_message", {"channel": channel,
                                    "text": f"{pipeline} on {branch}: {{{{step2.status}}}} ({{{{step1.build_id}}}})"},
             f"Report in {channel}."),
    ], c.today)


def s_restart(c: Ctx):
    host = c.rng.choice(["web-01", "api-02", "worker-3", "db-proxy-1"])
    service = c.rng.choice(["nginx", "gunicorn", "redis", "celery", "haproxy"])
    url = c.rng.choice(["https://shop.example.com", "https://api.example.org/health"])
    goal = c.rng.choice([f"Restart {service} on {host}, then check that {url} responds.",
                         f"{service} on {host} is stuck. Restart it and confirm {url} is back."])
    return Scenario("restart", goal, [
        Call("restart_service", {"host": host, "service": service}, f"Restart {service} on {host}.",
             {"status": "restarted"}),
        Call("check_url_status", {"url": url}, f"Confirm {url} responds."),
    ], c.today)


SQL = [("how many users signed up since {d}", "users", "SELECT COUNT(*) FROM users WHERE created_at >= '{d}'",
        [[1284]]),
       ("total revenue since {d}", "shop", "SELECT SUM(total) FROM orders WHERE created_at >= '{d}'", [[48210.5]]),
       ("the number of orders per country since {d}", "shop",
        "SELECT country, COUNT(*) FROM orders WHERE created_at >= '{d}' GROUP BY country",
        [["US", 412], ["DE", 163], ["FR", 98]]),
       ("the 10 best-selling products since {d}", "shop",
        "SELECT product_id, SUM(quantity) AS sold FROM order_items WHERE created_at >= '{d}' "
        "GROUP BY product_id ORDER BY sold DESC LIMIT 10", [[17, 340], [4, 291], [23, 188]]),
       ("how many support tickets were opened since {d}", "support",
        "SELECT COUNT(*) FROM tickets WHERE opened_at >= '{d}'", [[97]])]


def s_sql_report(c: Ctx):
    what, db, query, rows = c.rng.choice(SQL)
    d = (c.today - timedelta(days=c.rng.choice([7, 14, 30]))).isoformat()
    name, email = c.person()
    goal = c.rng.choice([f"Query the {db} database for {what.format(d=d)} and email the result to {email}.",
                         f"Can you pull {what.format(d=d)} from the {db} DB and send it to {name} ({email})?"])
    return Scenario("sql_report", goal, [
        Call("run_sql", {"database": db, "query": query.format(d=d)}, "Run the query.", {"rows": rows}),
        Call("send_email", {"to": email, "subject": cap(what.format(d=d)), "body": "{{step1.rows}}"},
             f"Email the result to {name}."),
    ], c.today)


def s_flights(c: Ctx):
    a, b = c.rng.sample(["Boston", "Denver", "Madrid", "Berlin", "Toronto", "Chicago", "Lisbon", "Rome"], 2)
    when, d = c.day()
    price = c.rng.choice([150, 200, 250, 300, 400])
    name, email = c.person()
    goal = c.rng.choice([f"Find flights from {a} to {b} {when} under ${price} and email the options to {email}.",
                         f"Look for {a}-{b} flights {when}, max ${price}, and send what you find to {name} ({email})."])
    return Scenario("flights", goal, [
        Call("search_flights", {"origin": a, "destination": b, "date": iso(d), "max_price": price},
             f"Search flights on {iso(d)} up to ${price}.",
             {"options": f"08:10 ${price - 31}; 13:45 ${price - 12}; 19:05 ${price - 47}"}),
        Call("send_email", {"to": email, "subject": f"Flights {a} to {b} on {iso(d)}", "body": "{{step1.options}}"},
             "Email the options."),
    ], c.today)


def s_social(c: Ctx):
    when, d = c.day()
    label, h, m = c.clock()
    text = c.rng.choice(["Our spring sale starts today: 20% off everything!", "New blog post: 5 tips for faster builds.",
                         "We're hiring a backend engineer. Apply on our site!", "Join our webinar on data privacy."])
    platforms = c.rng.sample(["LinkedIn", "Twitter", "Mastodon", "Facebook"], 2)
    goal = c.rng.choice([f"Schedule this post on {platforms[0]} and {platforms[1]} for {when.replace('on ', '')} at {label}: \"{text}\"",
                         f"Post \"{text}\" to {platforms[0]} and {platforms[1]} {when} at {label}."])
    return Scenario("social", goal, [
        Call("social_post", {"platform": p, "text": text, "schedule_time": iso(d, h, m)}, f"Schedule it on {p}.")
        for p in platforms], c.today)


def s_home(c: Ctx):
    room = c.rng.choice(["living room", "bedroom", "office", "kitchen"])
    temp = c.rng.choice([19, 20, 21, 21.5, 22])
    bright = c.rng.choice([30, 50, 70, 100])
    goal = c.rng.choice([f"I'm heading home. Turn on the {room} lights at {bright}% and set the thermostat there to {temp}°C.",
                         f"Set the {room} to {temp} degrees and switch the lights on ({bright}% brightness)."])
    return Scenario("home", goal, [
        Call("turn_on_lights", {"room": room, "brightness": bright}, f"Lights on in the {room} at {bright}%."),
        Call("set_thermostat", {"room": room, "celsius": temp}, f"Thermostat to {temp}°C."),
    ], c.today)


def s_webhook(c: Ctx):
    oid = f"A{c.rng.randint(1000, 9999)}"
    sku = c.rng.choice(["MUG-RED", "TSHIRT-M", "LAMP-01", "BOOK-42"])
    qty = c.rng.randint(1, 5)
    url = c.rng.choice(["https://warehouse.example.com/api/orders", "https://fulfil.acme.io/v1/shipments"])
    goal = f"Send order {oid} ({qty} x {sku}) to the warehouse API at {url}."
    return Scenario("webhook", goal, [
        Call("http_post", {"url": url, "json": {"order_id": oid, "sku": sku, "quantity": qty}},
             "POST the order to the warehouse API."),
    ], c.today)


def s_run_log(c: Ctx):
    km = c.rng.choice([3.5, 5, 5.2, 8, 10, 12.4, 21.1])
    mins = c.rng.randint(18, 130)
    goal = c.rng.choice([f"Log today's run in my 'Training' spreadsheet (sheet 'Runs'): {km} km in {mins} minutes.",
                         f"Add a row to Training > Runs: today, {km} km, {mins} min."])
    return Scenario("run_log", goal, [
        Call("add_spreadsheet_row", {"spreadsheet": "Training", "sheet": "Runs",
                                     "values": [c.today.isoformat(), km, mins]}, "Add the row with today's date."),
    ], c.today)


def s_slack_channel_lookup(c: Ctx):
    name = c.rng.choice(["marketing", "design-crit", "mobile-team", "sales-emea", "data-eng"])
    text = c.rng.choice(["The new brand guidelines are in the shared drive.", "Reminder: demo day is Thursday.",
                         "Dashboards are back online.", "Please review the Q2 plan by Friday."])
    goal = c.rng.choice([f"Post this in the {name} Slack channel: \"{text}\" (I don't know its ID).",
                         f"Find the {name} channel and post: {text}"])
    return Scenario("slack_lookup", goal, [
        Call("slack_find_channel", {"name": name}, f"Look up the {name} channel.", {"channel_id": "C0" + str(c.rng.randint(10000, 99999))}),
        Call("slack_post_message", {"channel": "{{step1.channel_id}}", "text": text}, "Post the message there."),
    ], c.today)


def s_contact_email(c: Ctx):
    who, msg, subject = c.rng.choice([
        ("Dr. Ortiz", "Can we move Thursday's appointment to next week?", "Rescheduling Thursday"),
        ("Dr. Ortiz", "Could you send me the results of my blood test?", "Test results"),
        ("my landlord", "The kitchen tap is leaking again.", "Leaking tap"),
        ("my landlord", "The heating in the bedroom isn't working.", "Heating problem"),
        ("the accountant", "Attached are the receipts you asked for.", "Receipts"),
        ("the accountant", "When is the deadline for the quarterly VAT return?", "VAT deadline"),
        ("Coach Miller", "Thanks for the great session yesterday!", "Thank you"),
        ("Coach Miller", "Lea will miss Saturday's practice, she has a cold.", "Saturday practice"),
        ("the plumber", "Can you come on Monday morning to fix the boiler?", "Boiler repair")])
    goal = c.rng.choice([f"Email {who}: \"{msg}\"", f"Look up {who} in my contacts and send them this: {msg}"])
    return Scenario("contact_email", goal, [
        Call("search_contacts", {"query": who.replace("my ", "").replace("the ", "")}, f"Find {who}'s email address.",
             {"email": "contact@example.com"}),
        Call("send_email", {"to": "{{step1.email}}", "subject": subject, "body": msg},
             "Send the message."),
    ], c.today)


def s_newsletter(c: Ctx):
    name, email = c.person()
    lst = c.rng.choice(["monthly-newsletter", "product-updates", "beta-testers"])
    goal = c.rng.choice([f"Add {email} to the {lst} list and send {name} a welcome email.",
                         f"{name} ({email}) wants to join {lst}. Subscribe them and say welcome."])
    return Scenario("newsletter", goal, [
        Call("add_to_mailing_list", {"list_name": lst, "email": email}, f"Subscribe {email} to {lst}."),
        Call("send_email", {"to": email, "subject": "Welcome!", "body": f"Hi {name}, welcome to {lst}!"},
             "Send the welcome email."),
    ], c.today)


def s_ticket(c: Ctx):
    project = c.rng.choice(["IT", "FAC", "HR", "OPS"])
    issue = c.rng.choice([("Printer on floor 3 jams constantly", "medium"), ("VPN drops every 10 minutes", "high"),
                          ("Meeting room 2 projector is broken", "low"), ("New hire needs a laptop by Monday", "high"),
                          ("Air conditioning too cold in the east wing", "low")])
    goal = c.rng.choice([f"Open a {issue[1]} priority ticket in {project}: {issue[0]}.",
                         f"Log this with {project} ({issue[1]} priority): {issue[0].lower()}."])
    return Scenario("ticket", goal, [
        Call("create_ticket", {"project": project, "title": issue[0], "description": issue[0] + ".",
                               "priority": issue[1]}, f"Create the ticket in {project}."),
    ], c.today)


def s_page_summary(c: Ctx):
    url = c.rng.choice(["https://blog.example.com/release-notes-3-2", "https://docs.example.org/changelog",
                        "https://news.example.net/ai-policy"])
    channel = c.rng.choice(["#team", "#product", "#news"])
    words = c.rng.choice([40, 60, 80])
    goal = c.rng.choice([f"Read {url}, summarize it in {words} words and share the summary in {channel}.",
                         f"Give {channel} a {words}-word summary of {url}."])
    return Scenario("page_summary", goal, [
        Call("http_get", {"url": url, "timeout_seconds": 10}, "Download the page.",
             {"status": 200, "body": f"(page text, {c.rng.randint(600, 3000)} words)"}),
        Call("summarize_text", {"text": "{{step1.body}}", "max_words": words}, f"Summarize in {words} words.",
             {"summary": "The page announces the new release, lists the main changes and notes two known issues."}),
        Call("slack_post_message", {"channel": channel, "text": "{{step2.summary}}"}, f"Post in {channel}."),
    ], c.today)


def s_agenda_email(c: Ctx):
    when, d = c.day()
    goal = c.rng.choice([f"Email me (me@example.com) a list of my meetings {when}.",
                         f"What's on my calendar {when}? Send the list to me@example.com."])
    return Scenario("agenda_email", goal, [
        Call("list_calendar_events", {"date": iso(d), "query": ""}, f"List all events on {iso(d)}.",
             {"events": c.rng.choice(["09:00 Standup; 13:00 Lunch with Ana; 15:30 Design review",
                                      "10:00 1:1 with Omar; 14:00 Budget meeting",
                                      "08:30 Dentist; 11:00 Client call; 16:00 Team retro"])}),
        Call("send_email", {"to": "me@example.com", "subject": f"Meetings on {iso(d)}", "body": "{{step1.events}}"},
             "Email the list."),
    ], c.today)


def s_ask_missing(c: Ctx):
    """The goal lacks something essential and no tool can find it: ask first."""
    kind = c.rng.choice(["email_no_address", "meeting_no_time", "flight_no_date", "post_no_channel", "refund_no_id"])
    if kind == "email_no_address":
        who = c.rng.choice(["my manager", "the new intern", "Sam", "the venue"])
        goal = f"Send {who} the slides from today's meeting."
        q = f"What is {who}'s email address? I don't have a contacts tool to look it up."
        note = f"I don't know {who}'s email address and none of the tools can look it up, so I ask first."
    elif kind == "meeting_no_time":
        goal = c.rng.choice(["Book a meeting with the design team next week.", "Set up a call with Priya sometime soon."])
        q = "Which day and time should I book, how long should it be, and who exactly should I invite (emails)?"
        note = "The goal has no date, time or attendee emails, so I ask before booking anything."
    elif kind == "flight_no_date":
        a, b = c.rng.sample(["Boston", "Denver", "Madrid", "Berlin", "Lisbon"], 2)
        goal = f"Find me a cheap flight from {a} to {b}."
        q = f"Which date do you want to fly from {a} to {b}, and what's your maximum price?"
        note = "A flight search needs a date, so I ask for it (and a budget)."
    elif kind == "post_no_channel":
        goal = "Post the meeting notes in Slack."
        q = "Which Slack channel should I post the notes in, and could you paste the notes?"
        note = "I don't know the channel or the text of the notes, so I ask."
    else:
        goal = "Refund the customer who complained yesterday."
        q = "Which order should I refund? Please share the order ID and whether it's a full refund."
        note = "I need the order ID to issue a refund, so I ask for it."
    return Scenario("ask_missing", goal, [Call("ask_user", {"question": q}, "Ask the user for the missing details.")],
                    c.today, note=note)


SCENARIOS = [s_weather_email, s_weather_sms, s_schedule_meeting, s_meeting_at_time, s_cancel_meeting, s_reminder,
             s_two_reminders, s_cron_job, s_db_backup, s_github_bug, s_issue_digest, s_site_status,
             s_translate_email, s_research, s_stock, s_expense_log, s_move_files, s_resize_upload, s_share_doc,
             s_out_of_office, s_refund, s_deploy, s_restart, s_sql_report, s_flights, s_social, s_home, s_webhook,
             s_run_log, s_slack_channel_lookup, s_contact_email, s_newsletter, s_ticket, s_page_summary,
             s_agenda_email, s_ask_missing]


# ----------------------------------------------------------------------------- placeholders
def _map_refs(obj, fn):
    if isinstance(obj, str):
        return REF.sub(lambda m: fn(int(m.group(1)), m.group(2), m.group(0)), obj)
    if isinstance(obj, list):
        return [_map_refs(x, fn) for x in obj]
    if isinstance(obj, dict):
        return {k: _map_refs(v, fn) for k, v in obj.items()}
    return obj


def _resolve_value(obj, done: dict[int, dict]):
    """Replace references to completed steps with their actual results; a whole-string reference keeps its type."""
    if isinstance(obj, str):
        m = REF.fullmatch(obj)
        if m and int(m.group(1)) in done:
            return done[int(m.group(1))][m.group(2)]
        return REF.sub(lambda m: str(done[int(m.group(1))][m.group(2)]) if int(m.group(1)) in done else m.group(0),
                       obj)
    if isinstance(obj, list):
        return [_resolve_value(x, done) for x in obj]
    if isinstance(obj, dict):
        return {k: _resolve_value(v, done) for k, v in obj.items()}
    return obj


def _shift(calls: list[Call], offset: int) -> list[Call]:
    """Renumber references to steps that are still in `calls` after `offset` steps were inserted (+) or dropped (-)."""
    out = []
    for call in calls:
        args = _map_refs(call.args, lambda n, f, whole: f"{{{{step{n + offset}.{f}}}}}")
        out.append(Call(call.name, args, call.plan, call.result))
    return out


# ----------------------------------------------------------------------------- error recovery
def _fmt_call(call: Call) -> str:
    return f"{call.name}({json.dumps(call.args, ensure_ascii=False)})"


def _bad_date(value: str, rng) -> str:
    d = date.fromisoformat(value[:10])
    time_part = value[11:] if "T" in value else ""
    bad = rng.choice([f"{d.day:02d}/{d.month:02d}/{d.year}", f"{MONTHS[d.month - 1]} {d.day}",
                      f"{d.month}/{d.day}/{d.year % 100}", f"{d.year}{d.month:02d}{d.day:02d}"])
    return bad + (f" {time_part}" if time_part else "")


def apply_error(sc: Scenario, rng):
    """Pick an error for one step and rewrite (calls, log lines, diagnosis). Returns None if nothing fits."""
    calls = sc.calls
    if calls[0].name == "ask_user":
        return None
    # Usually the first step fails; otherwise a later one, after the earlier steps succeeded.
    k = 0 if len(calls) == 1 or rng.random() < 0.6 else rng.randrange(1, len(calls))
    failed = calls[k]
    done = {i + 1: calls[i].result or {"status": "ok"} for i in range(k)}
    remaining = [Call(c.name, _resolve_value(c.args, done), c.plan, c.result) for c in calls[k:]]
    remaining = _shift(remaining, -k)
    first = remaining[0]  # the failed call with earlier results filled in
    schema = TOOLS[failed.name]
    options = ["timeout", "timeout", "rate_limit", "rate_limit", "server_error", "server_error", "permission", "auth"]
    date_params = [p for p in first.args if schema.get(p) in DATE_TYPES and isinstance(first.args[p], str)
                   and "{{" not in first.args[p]]
    if date_params:
        options += ["bad_date"] * 5
    if failed.name in ALTERNATIVES:
        options += ["unavailable"] * 5
    if failed.name in ("slack_post_message", "send_email") and "{{" not in json.dumps(first.args):
        options += ["not_found"] * 4
    if failed.name in ("get_order", "list_github_issues", "move_file", "share_file"):
        options += ["not_found_ask"] * 3
    kind = rng.choice(options)

    log = [f"{i + 1}. {_fmt_call(calls[i])} -> {json.dumps(done[i + 1], ensure_ascii=False)}" for i in range(k)]
    extra_tools: list[str] = []
    shown_call = first
    tool = failed.name

    if kind == "timeout" and "timeout_seconds" in first.args:
        old = first.args["timeout_seconds"]
        error = {"error": "timeout", "detail": f"no response after {old} seconds"}
        diagnosis = f"{tool} timed out after {old} s. I retry once with a longer timeout ({old * 3} s)."
        new_calls = [Call(first.name, {**first.args, "timeout_seconds": old * 3}, first.plan)] + remaining[1:]
    elif kind == "timeout":
        error = {"error": "timeout", "detail": "no response after 30 seconds"}
        diagnosis = f"{tool} timed out. That is usually temporary, so I retry it once and continue."
        new_calls = remaining
    elif kind == "server_error":
        code = rng.choice(["500 Internal Server Error", "502 Bad Gateway", "503 Service Unavailable"])
        error = {"error": code}
        diagnosis = f"{tool} failed with {code.split()[0]}, a server-side error. I retry once before going on."
        new_calls = remaining
    elif kind == "rate_limit":
        secs = rng.choice([5, 10, 20, 30, 60])
        error = {"error": "429 Too Many Requests", "retry_after_seconds": secs}
        diagnosis = f"{tool} was rate limited and asked us to wait {secs} seconds, so I wait, then retry."
        new_calls = [Call("wait", {"seconds": secs}, f"Wait {secs} seconds.")] + _shift(remaining, 1)
        extra_tools.append("wait")
    elif kind == "permission":
        resource = {"slack_post_message": "the Slack channel", "run_sql": "the database",
                    "create_backup": "the backup destination", "share_file": "the file",
                    "restart_service": "the server", "trigger_build": "the build pipeline"}.get(tool, f"the {tool} tool")
        error = {"error": "403 Forbidden", "detail": "missing permission"}
        diagnosis = (f"{tool} returned 403: I lack permission. Retrying won't help, so I request access and "
                     f"continue once it's granted.")
        new_calls = [Call("request_access", {"resource": f"{tool} ({resource})",
                                             "reason": f"Needed to complete: {sc.goal[:80]}"},
                          "Request access.")]
        extra_tools.append("request_access")
    elif kind == "auth":
        error = {"error": "401 Unauthorized", "detail": "token expired"}
        diagnosis = f"The credentials for {tool} expired. I can't fix that myself, so I ask the user to reconnect."
        new_calls = [Call("ask_user", {"question": f"Your connection for {tool} has expired. Could you reconnect it "
                                                   f"so I can finish the task?"}, "Ask the user to reconnect.")]
        extra_tools.append("ask_user")
    elif kind == "bad_date":
        p = rng.choice(date_params)
        shown_args = dict(first.args)
        shown_args[p] = _bad_date(first.args[p], rng)
        shown_call = Call(first.name, shown_args, first.plan)
        fmt = schema[p]
        error = {"error": "400 Bad Request", "detail": f"'{p}' must be in {fmt} format"}
        diagnosis = f"The '{p}' value was in the wrong format. I resend the call with {p} = {first.args[p]}."
        new_calls = remaining
    elif kind == "unavailable":
        alt = ALTERNATIVES[tool]
        error = {"error": "410 Gone", "detail": f"{tool} has been retired"}
        diagnosis = f"{tool} is no longer available, so I use {alt}, which takes the same arguments."
        new_calls = [Call(alt, first.args, first.plan.replace(tool, alt))] + remaining[1:]
        extra_tools.append(alt)
    elif kind == "not_found":
        if tool == "slack_post_message":
            chan = first.args["channel"].lstrip("#")
            error = {"error": "404 channel_not_found"}
            diagnosis = "The channel name didn't resolve, so I look it up by name and post to its ID."
            lookup = Call("slack_find_channel", {"name": chan}, f"Find the {chan} channel.")
            fixed = Call(first.name, {**first.args, "channel": "{{step1.channel_id}}"}, "Post the message there.")
            extra_tools.append("slack_find_channel")
        else:
            error = {"error": "550 mailbox not found"}
            who = first.args["to"].split("@")[0]
            diagnosis = f"The address bounced. I search the contacts for {who} and resend to the address found."
            lookup = Call("search_contacts", {"query": who}, f"Find {who}'s current address.")
            fixed = Call(first.name, {**first.args, "to": "{{step1.email}}"}, "Resend the email.")
            extra_tools.append("search_contacts")
        new_calls = [lookup, fixed] + _shift(remaining[1:], 1)
    else:  # not_found_ask
        error = {"error": "404 Not Found"}
        thing = {"get_order": "that order", "list_github_issues": "that repository", "move_file": "that file",
                 "share_file": "that file"}[tool]
        diagnosis = f"{tool} couldn't find {thing}. Guessing could act on the wrong item, so I ask the user."
        new_calls = [Call("ask_user", {"question": f"I couldn't find {thing} ({json.dumps(first.args, ensure_ascii=False)}). "
                                                   f"Could you double-check it?"}, "Ask the user to confirm.")]
        extra_tools.append("ask_user")
    log.append(f"{k + 1}. {_fmt_call(shown_call)} -> {json.dumps(error, ensure_ascii=False)}")
    return new_calls, log, diagnosis, extra_tools, kind


# ----------------------------------------------------------------------------- rendering
def _tool_line(name):
    return f"- {name} {json.dumps(TOOLS[name], ensure_ascii=False)}"


def render(sc: Scenario, rng, with_error: bool):
    calls = sc.calls
    log, diagnosis, extra, kind = [], "", list(sc.extra_tools), "none"
    if with_error:
        applied = apply_error(sc, rng)
        if applied is None:
            return None
        calls, log, diagnosis, more, kind = applied
        extra += more
    used = [c.name for c in sc.calls] + [c.name for c in calls] + extra
    tools = list(dict.fromkeys(used))
    pool = [t for t in TOOLS if t not in tools and t not in ("wait", "request_access")]
    tools += rng.sample(pool, rng.randint(2, 4))
    # These recovery tools also appear when nothing failed, so their presence is not a cue by itself.
    for helper in ("wait", "request_access"):
        if helper not in tools and rng.random() < 0.15:
            tools.append(helper)
    if "ask_user" not in tools and rng.random() < 0.4:
        tools.append("ask_user")
    rng.shuffle(tools)
    head = f"Today is {WEEKDAYS[sc.today.weekday()]}, {sc.today.isoformat()}."
    lines = [head, f"Goal: {sc.goal}", "Tools:"] + [_tool_line(t) for t in tools]
    if log:
        lines.append(rng.choice(["Tool log so far:", "Results so far:", "What happened when I tried:"]))
        lines += log
    instruction = "\n".join(lines)
    plan = [f"{i}. {c.plan}" for i, c in enumerate(calls, start=1)]
    call_json = [c.as_json() for c in calls]
    parts = []
    if diagnosis:
        parts.append(diagnosis)
    elif sc.note:
        parts.append(sc.note)
    parts.append("Plan:")
    parts += plan
    parts.append("Calls:")
    parts.append("```json\n" + json.dumps(call_json, ensure_ascii=False) + "\n```")
    return instruction, "\n".join(parts), call_json, kind


def make_example(rng, error_rate=0.45, scenario=None):
    today = date(2026, 1, 5) + timedelta(days=rng.randint(0, 330))
    ctx = Ctx(rng, today)
    fn = scenario or rng.choice(SCENARIOS)
    sc = fn(ctx)
    with_error = rng.random() < error_rate and sc.key != "ask_missing"
    out = render(sc, rng, with_error)
    if out is None:
        out = render(sc, rng, False)
    instruction, response, calls, kind = out
    n = len(calls)
    difficulty = "hard" if kind != "none" and n >= 2 else ("medium" if kind != "none" or n >= 2 else "easy")
    return dict(template=sc.key, instruction=instruction, response=response, calls=calls, error=kind,
                difficulty=difficulty)


def deep_copy(x):
    return copy.deepcopy(x)
