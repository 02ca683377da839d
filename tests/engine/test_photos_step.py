"""A photos step offers "Done" once it has what it needs, never a "Done" that is refused."""

from __future__ import annotations

from tests.engine.test_navigation import start_all_kinds
from tests.support import World, png


async def test_done_is_offered_only_once_a_photo_came(world: World) -> None:
    chat = world.chat()
    await start_all_kinds(chat)
    await chat.press("Done")
    await chat.press("Red")
    await chat.press("Pen")
    await chat.press("Done")
    await chat.press("No")
    await chat.press("Skip")
    await chat.say("5")
    await chat.press("Done")
    await chat.press("Now")
    assert "Photos" in chat.question.text
    assert "Done" not in " ".join(chat.labels())
    await chat.photo(png(1))
    assert "1 photo received" in chat.question.text
    assert "✓ Done" in chat.labels()
    await chat.press("Done")
    assert "Where?" in chat.question.text


async def test_an_optional_photos_step_offers_skip_not_a_refused_done(world: World) -> None:
    from tests.engine.test_people_step import start_theft

    chat = world.chat()
    await start_theft(chat)
    for typed in ("Zhang San", "owner", "138"):
        await chat.say(typed)
    await chat.say("lobby")
    await chat.press("Now")  # foreman arrived
    await chat.press("No")  # no CCTV
    await chat.press("Done")  # equipment
    await chat.say("left it on the sofa")
    await chat.say("black wallet")
    await chat.press("Skip")  # value unknown
    assert "Take photos of the scene" in chat.question.text
    labels = chat.labels()
    assert "Skip" in labels and "✓ Done" not in labels
    await chat.press("Skip")
    assert "notify the security chief" in chat.question.text.casefold()
